using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.WireGuard;

public enum WgImplementation { Kernel, Userspace }

/// <summary>The WireGuard part of a plan, in the three places the reconciler runs them.</summary>
public sealed record WgPlan(IReadOnlyList<PlannedCommand> Creates, IReadOnlyList<PlannedCommand> Configures, IReadOnlyList<PlannedCommand> Deletes, int Unchanged)
{
    public static readonly WgPlan Nothing = new([], [], [], 0);

    /// <summary>The owned devices this plan deletes (they leave the ownership journal once it succeeded).</summary>
    public IReadOnlyList<string> DeletedDevices { get; init; } = [];
}

/// <summary>Inputs the WireGuard planner needs besides the desired and observed devices.</summary>
public sealed record WgPlanContext(
    WgImplementation Implementation,
    string UserspaceCommand,
    IReadOnlySet<string> ExistingLinks,
    IReadOnlySet<string> OwnedDevices,
    Func<string, Secret> PrivateKeyFor,
    DateTimeOffset Now,
    TimeSpan HandshakeFreshness);

/// <summary>
/// Diffs desired devices against `wg show dump`. A device is created only when its link is missing; a changed
/// device gets one `wg syncconf` (which leaves unchanged peers and their sessions alone); owned devices no
/// longer desired are deleted. Never a teardown to change a peer.
/// </summary>
public static class WgPlanner
{
    public static WgPlan Plan(IReadOnlyList<DesiredWgDevice> desired, IReadOnlyDictionary<string, ObservedWgDevice> observed, WgPlanContext ctx)
    {
        var creates = new List<PlannedCommand>();
        var configures = new List<PlannedCommand>();
        var deletes = new List<PlannedCommand>();
        var unchanged = 0;

        foreach (var device in desired)
        {
            var changes = new List<PlannedChange>();
            observed.TryGetValue(device.Interface, out var live);
            if (!ctx.ExistingLinks.Contains(device.Interface))
            {
                creates.Add(new PlannedCommand(Stage.WireGuard, CreateCommand(device.Interface, ctx),
                    [new PlannedChange(ChangeKind.Added, "wireguard", $"device {device.Interface} ({ctx.Implementation.ToString().ToLowerInvariant()})") { Origin = device.Origin }]));
                live = null;
            }
            else if (live is null)
            {
                changes.Add(new PlannedChange(ChangeKind.Changed, "wireguard", $"device {device.Interface} configuration") { Origin = device.Origin });
            }

            if (live is not null)
            {
                if (!string.Equals(live.PublicKey, device.PublicKey, StringComparison.Ordinal))
                    changes.Add(new PlannedChange(ChangeKind.Changed, "wireguard", $"device {device.Interface} key") { Origin = device.Origin });
                if (device.ListenPort is { } port && port != live.ListenPort)
                    changes.Add(new PlannedChange(ChangeKind.Changed, "wireguard", $"device {device.Interface} listen-port {port}") { Origin = device.Origin });
                if (device.Fwmark != live.Fwmark)
                    changes.Add(new PlannedChange(ChangeKind.Changed, "wireguard", $"device {device.Interface} fwmark 0x{device.Fwmark:x}") { Origin = device.Origin });
                changes.AddRange(DiffPeers(device, live, ctx, out var sameDevicePeers));
                if (changes.Count == 0) unchanged += 1 + sameDevicePeers; else unchanged += sameDevicePeers;
            }
            else
            {
                changes.AddRange(device.Peers.Select(p => new PlannedChange(ChangeKind.Added, "wireguard", $"peer {Short(p.PublicKey)} on {device.Interface}") { Origin = p.Origin }));
            }

            if (changes.Count > 0 || live is null)
                configures.Add(new PlannedCommand(Stage.WireGuard, SyncCommand(device, ctx), changes));
        }

        var wanted = desired.Select(d => d.Interface).ToHashSet(StringComparer.Ordinal);
        var deleted = new List<string>();
        foreach (var owned in ctx.OwnedDevices.Order(StringComparer.Ordinal))
        {
            if (wanted.Contains(owned) || !ctx.ExistingLinks.Contains(owned)) continue;
            deletes.Add(new PlannedCommand(Stage.WireGuard, new CommandRequest("ip", ["link", "del", "dev", owned]) { Mutates = true },
                [new PlannedChange(ChangeKind.Removed, "wireguard", $"device {owned}")]) { IsRemoval = true });
            deleted.Add(owned);
        }
        return new WgPlan(creates, configures, deletes, unchanged) { DeletedDevices = deleted };
    }

    private static IEnumerable<PlannedChange> DiffPeers(DesiredWgDevice device, ObservedWgDevice live, WgPlanContext ctx, out int same)
    {
        var changes = new List<PlannedChange>();
        var livePeers = live.Peers.ToDictionary(p => p.PublicKey, StringComparer.Ordinal);
        same = 0;
        foreach (var peer in device.Peers)
        {
            if (!livePeers.Remove(peer.PublicKey, out var lp))
            {
                changes.Add(new PlannedChange(ChangeKind.Added, "wireguard", $"peer {Short(peer.PublicKey)} on {device.Interface}") { Origin = peer.Origin });
                continue;
            }
            if (PeerMatches(peer, lp, ctx)) same++;
            else changes.Add(new PlannedChange(ChangeKind.Changed, "wireguard", $"peer {Short(peer.PublicKey)} on {device.Interface}") { Origin = peer.Origin });
        }
        changes.AddRange(livePeers.Keys.Order(StringComparer.Ordinal)
            .Select(k => new PlannedChange(ChangeKind.Removed, "wireguard", $"peer {Short(k)} on {device.Interface}")));
        return changes;
    }

    /// <summary>
    /// A peer that roamed (handshake fresh, endpoint learned from its packets) is left alone: resetting its
    /// endpoint to the configured one would break a working session behind NAT.
    /// </summary>
    private static bool PeerMatches(DesiredWgPeer want, ObservedWgPeer live, WgPlanContext ctx)
    {
        var pskDigest = want.PresharedKey is { } psk ? WgDumpParser.Digest(psk.Value) : null;
        if (!string.Equals(pskDigest, live.PresharedKeyDigest, StringComparison.Ordinal)) return false;
        if (!want.AllowedIps.Order(StringComparer.Ordinal).SequenceEqual(live.AllowedIps, StringComparer.Ordinal)) return false;
        if (want.PersistentKeepalive != live.PersistentKeepalive) return false;
        if (want.Endpoint is { } ep && !string.Equals(ep, live.Endpoint, StringComparison.Ordinal))
        {
            var fresh = live.LatestHandshake is { } hs && ctx.Now - hs < ctx.HandshakeFreshness;
            if (!fresh) return false;
        }
        return true;
    }

    private static CommandRequest CreateCommand(string name, WgPlanContext ctx) => ctx.Implementation switch
    {
        WgImplementation.Kernel => new CommandRequest("ip", ["link", "add", "dev", name, "type", "wireguard"]) { Mutates = true },
        _ => new CommandRequest(ctx.UserspaceCommand, [name]) { Mutates = true },
    };

    private static CommandRequest SyncCommand(DesiredWgDevice device, WgPlanContext ctx) =>
        new("wg", ["syncconf", device.Interface, "/dev/stdin"])
        {
            Stdin = WgConfigRenderer.Render(device, ctx.PrivateKeyFor(device.KeyName ?? device.Interface)),
            StdinIsSecret = true,
            Mutates = true,
        };

    internal static string Short(string publicKey) => publicKey.Length > 8 ? publicKey[..8] + "…" : publicKey;
}
