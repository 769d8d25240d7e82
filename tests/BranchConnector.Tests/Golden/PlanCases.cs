using System.Text.Json;
using System.Text.Json.Nodes;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Tests.Firewall;

namespace BranchConnector.Tests.Golden;

/// <summary>
/// The batches and box states of the plan golden tests: a branch box with eth0 (WAN) and lan0, the backbone wg0
/// towards a hub at 192.0.2.1, and helpers that compile a batch offline the way `render` does.
/// </summary>
internal static class PlanCases
{
    public static readonly string HubKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x11, 32).ToArray());
    public static readonly string OurKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x22, 32).ToArray());
    public static readonly string PresharedKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x33, 32).ToArray());
    public static readonly string PrivateKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x44, 32).ToArray());

    /// <summary>The physical links of the box before the agent did anything.</summary>
    public static IReadOnlyList<ObservedLink> PhysicalLinks =>
    [
        new("lo", 1, 65536, true, null, ["127.0.0.1/8", "::1/128"]),
        new("eth0", 2, 1500, true, null, ["198.51.100.2/24"]),
        new("lan0", 3, 1500, true, null, []),
    ];

    public static JsonObject Interface() => new()
    {
        ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "lan0", ["addresses"] = new JsonArray("192.168.10.1/24") }),
    };

    public static JsonObject WireGuard(string kind = "dedicated_edge", params string[] allowedIps)
    {
        var body = new JsonObject
        {
            ["interface"] = "wg0", ["enabled"] = true, ["addresses"] = new JsonArray("10.255.0.2/32"), ["listen_port"] = 51820, ["mtu"] = 1420,
            ["lan_subnets"] = new JsonArray("192.168.10.0/24"),
        };
        body["hub"] = kind == "none"
            ? new JsonObject { ["kind"] = "none" }
            : new JsonObject
            {
                ["kind"] = kind, ["name"] = "hub-1", ["public_key"] = HubKey, ["endpoint"] = "192.0.2.1:51820",
                ["allowed_ips"] = new JsonArray((allowedIps.Length == 0 ? ["10.0.0.0/8"] : allowedIps).Select(a => (JsonNode)a).ToArray()),
                ["persistent_keepalive"] = 25, ["preshared_key"] = PresharedKey,
            };
        return body;
    }

    public static JsonObject Static(string gateway = "10.255.0.1", int metric = 100) => new()
    {
        ["routes"] = new JsonArray(
            new JsonObject { ["destination"] = "172.16.0.0/12", ["gateway"] = gateway, ["interface"] = "wg0", ["metric"] = metric, ["table"] = 254 },
            new JsonObject { ["destination"] = "203.0.113.0/24", ["interface"] = "wg0", ["table"] = 100 }),
    };

    public static JsonObject Nat() => new()
    {
        ["rules"] = new JsonArray(
            new JsonObject { ["type"] = "masquerade", ["source"] = "192.168.10.0/24", ["out_interface"] = "eth0" },
            new JsonObject { ["type"] = "dnat", ["in_interface"] = "wg0", ["protocol"] = "tcp", ["destination_port"] = 8080, ["to"] = "192.168.10.5:80" }),
    };

    public static JsonObject Acl() => new()
    {
        ["forward_policy"] = "drop", ["input_policy"] = "accept",
        ["rules"] = new JsonArray(new JsonObject
        {
            ["name"] = "ssh-from-hub", ["chain"] = "forward", ["action"] = "accept", ["in_interface"] = "wg0", ["out_interface"] = "lan0",
            ["source"] = "10.0.0.0/8", ["destination"] = "192.168.10.0/24", ["protocol"] = "tcp", ["destination_ports"] = "22,80,1000-2000",
        }),
    };

    /// <summary>A validated batch of these commands (the decoder the daemon uses, so the cases stay valid documents).</summary>
    public static DesiredConfig Config(params (string Topic, JsonObject Body)[] commands)
    {
        var array = new JsonArray(commands.Select((c, i) => (JsonNode)new JsonObject { ["index"] = i, ["topic"] = c.Topic, ["body"] = c.Body }).ToArray());
        using var doc = JsonDocument.Parse(array.ToJsonString());
        var batch = new JsonObject
        {
            ["v"] = 1, ["sequence"] = 1, ["config_hash"] = ConfigHash.Compute(doc.RootElement), ["issued_at"] = "2026-11-22T10:00:00.000Z", ["commands"] = array,
        };
        var decoded = BatchDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(batch.ToJsonString()));
        Assert.True(decoded.IsValid, string.Join("; ", decoded.Errors));
        return decoded.Batch!.Config;
    }

    public static DesiredConfig FullBatch() =>
        Config(("interface", Interface()), ("wireguard", WireGuard()), ("static", Static()), ("nat44", Nat()), ("acl", Acl()));

    public static Task<KernelIntent> IntentAsync(DesiredConfig config) =>
        IntentBuilder.BuildAsync(config, DesiredPeering.Empty, new OfflineIntentEnvironment(new Dictionary<string, string> { [KeyNames.Backbone] = OurKey }), CancellationToken.None);

    public static PlannerContext Context(OwnershipRecord owned) => new(
        WgImplementation.Kernel, "wireguard-go", owned, _ => new Secret(PrivateKey), DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(180),
        new FirewallSettings(true, FirewallBackendChoice.Auto), FirewallBackend.Nft);

    public static ObservedState Empty => new(PhysicalLinks, new Dictionary<string, ObservedWgDevice>(), [], [], ObservedFirewall.Empty, ObservedXfrm.Empty);

    /// <summary>The box after <paramref name="intent"/> was applied cleanly: what the observer would read back.</summary>
    public static ObservedState InPlace(KernelIntent intent)
    {
        var links = new List<ObservedLink>();
        foreach (var link in PhysicalLinks)
        {
            var want = intent.Links.FirstOrDefault(l => l.Name == link.Name);
            links.Add(want is null ? link : link with
            {
                Mtu = want.Mtu ?? link.Mtu,
                Addresses = link.Addresses.Concat(want.Addresses.Select(IpText.InterfaceCidr)).Distinct().ToEquatableList(),
            });
        }
        var index = 10;
        foreach (var device in intent.WgDevices)
        {
            var want = intent.Links.Single(l => l.Name == device.Interface);
            links.Add(new ObservedLink(device.Interface, index++, want.Mtu ?? 1420, true, "wireguard", want.Addresses.Select(IpText.InterfaceCidr).ToEquatableList()));
        }
        var devices = intent.WgDevices.ToDictionary(d => d.Interface, d => new ObservedWgDevice(d.Interface, d.PublicKey, d.ListenPort ?? 0, d.Fwmark,
            d.Peers.Select(p => new ObservedWgPeer(p.PublicKey, p.PresharedKey is { } psk ? WgDumpParser.Digest(psk.Value) : null, p.Endpoint, p.AllowedIps, null, 0, 0,
                p.PersistentKeepalive)).ToEquatableList()), StringComparer.Ordinal);
        var routes = intent.Routes.Select(r => new ObservedRoute(r.Destination, r.Gateway, r.Device, r.Metric, r.Table, RoutingTables.AgentProtocol.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var rules = intent.Rules.Select(r => new ObservedRule(r.Priority, r.From, r.To, r.Table, r.Fwmark, r.Invert, r.SuppressPrefixLength, r.Family)).ToList();
        var firewall = intent.Firewall is null ? ObservedFirewall.Empty : SaveText.Observed(FirewallRenderer.Render(intent.Firewall));
        return new ObservedState(links, devices, routes, rules, firewall, ObservedXfrm.Empty);
    }

    /// <summary>What the journal holds after applying <paramref name="intent"/> on <see cref="Empty"/>.</summary>
    public static OwnershipRecord OwnedAfter(KernelIntent intent) =>
        ReconcilePlanner.Plan(intent, Empty, Context(OwnershipRecord.Empty)).OwnedAfter;
}
