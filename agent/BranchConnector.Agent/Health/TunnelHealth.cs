using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Health;

/// <summary>The facts tunnel health is computed from: the applied documents and what the kernel says now.</summary>
public sealed record TunnelHealthInput(
    DesiredConfig Config,
    DesiredPeering Peering,
    IReadOnlyDictionary<string, ObservedWgDevice> Devices,
    IReadOnlyList<ObservedLink> Links,
    DateTimeOffset? BackboneConfiguredAt,
    DateTimeOffset? PeeringConfiguredAt,
    IReadOnlySet<string> RelayedMembers,
    DateTimeOffset Now);

/// <summary>
/// Health from the live handshake, never from configuration: active = a handshake within handshake_timeout_s;
/// pending = configured less than that long ago and no handshake yet; down = anything else, or no device.
/// </summary>
public static class TunnelHealth
{
    public const string Active = "active";
    public const string Pending = "pending";
    public const string Down = "down";

    public static IReadOnlyList<TunnelStatusEntry> Compute(TunnelHealthInput input)
    {
        var timeout = TimeSpan.FromSeconds(input.Config.Monitoring.HandshakeTimeoutS);
        var list = new List<TunnelStatusEntry>();
        string? backboneStatus = null;
        if (input.Config.Backbone is { Kind: not HubKind.None } b)
        {
            input.Devices.TryGetValue(b.Interface, out var dev);
            var link = input.Links.FirstOrDefault(l => l.Name == b.Interface);
            var hub = b.Hub is null ? null : dev?.Peers.FirstOrDefault(p => p.PublicKey == b.Hub.PublicKey);
            backboneStatus = !b.Enabled || dev is null || link is null ? Down : Classify(hub?.LatestHandshake, input.BackboneConfiguredAt, input.Now, timeout);
            list.Add(new TunnelStatusEntry(
                b.Interface, TunnelStatusPayload.Backbone, backboneStatus, b.Enabled,
                dev?.ListenPort, dev?.PublicKey, b.Hub?.Endpoint?.ToString(), hub?.Endpoint, link?.Mtu,
                hub?.LatestHandshake, Age(hub?.LatestHandshake, input.Now), hub?.RxBytes ?? 0, hub?.TxBytes ?? 0, null));
        }

        if (input.Peering.WireGuardInterface is { } peerIf)
        {
            input.Devices.TryGetValue(peerIf, out var dev);
            var link = input.Links.FirstOrDefault(l => l.Name == peerIf);
            var peers = new List<PeerStatusEntry>();
            foreach (var member in input.Peering.WireGuardGroups.SelectMany(g => g.Members))
            {
                var live = dev?.Peers.FirstOrDefault(p => p.PublicKey == member.PublicKey);
                var direct = dev is null ? Down : Classify(live?.LatestHandshake, input.PeeringConfiguredAt, input.Now, timeout);
                var relayed = input.RelayedMembers.Contains(member.Serial) || member.Endpoint is null;
                var path = relayed ? (backboneStatus == Active ? "relayed" : Down) : direct == Active ? "direct" : Down;
                var status = relayed ? (backboneStatus ?? Down) : direct;
                peers.Add(new PeerStatusEntry(member.Serial, path, status, live?.Endpoint, Age(live?.LatestHandshake, input.Now), live?.RxBytes ?? 0, live?.TxBytes ?? 0));
            }
            var tunnel = dev is null || link is null ? Down
                : peers.Any(p => p.Status == Active) ? Active
                : peers.Any(p => p.Status == Pending) || Recently(input.PeeringConfiguredAt, input.Now, timeout) ? Pending : Down;
            list.Add(new TunnelStatusEntry(
                peerIf, TunnelStatusPayload.Peering, tunnel, true, dev?.ListenPort, dev?.PublicKey, null, null, link?.Mtu,
                null, null, null, null, peers));
        }
        return list;
    }

    public static string Classify(DateTimeOffset? handshake, DateTimeOffset? configuredAt, DateTimeOffset now, TimeSpan timeout)
    {
        if (handshake is { } hs && now - hs <= timeout) return Active;
        if (handshake is null && Recently(configuredAt, now, timeout)) return Pending;
        return Down;
    }

    private static bool Recently(DateTimeOffset? at, DateTimeOffset now, TimeSpan timeout) => at is { } t && now - t < timeout;

    private static long? Age(DateTimeOffset? at, DateTimeOffset now) => at is { } t ? Math.Max(0, (long)(now - t).TotalSeconds) : null;
}
