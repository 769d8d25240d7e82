using System.Text.Json.Nodes;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Tests.Golden;
using BranchConnector.Tests.Xfrm;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>The table of configurations the walk visits: the golden batches, peering documents and variations of them.</summary>
internal static class Configurations
{
    public static readonly IReadOnlyList<(string Name, Func<Task<KernelIntent>> Intent)> All =
    [
        ("interface only", () => Box.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface())))),
        ("full batch", () => Box.IntentAsync(PlanCases.FullBatch())),
        ("route gateway changed", () => Box.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard()),
            ("static", PlanCases.Static(gateway: "10.255.0.9", metric: 50)), ("nat44", PlanCases.Nat()), ("acl", PlanCases.Acl())))),
        ("full tunnel", () => Box.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard("dedicated_edge", "0.0.0.0/0"))))),
        ("full tunnel both families", () => Box.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface()),
            ("wireguard", PlanCases.WireGuard("dedicated_edge", "0.0.0.0/0", "::/0")), ("nat44", PlanCases.Nat())))),
        ("hub none", () => Box.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard("none"))))),
        ("acl only", () => Box.IntentAsync(PlanCases.Config(("wireguard", PlanCases.WireGuard()), ("acl", RejectAcl())))),
        ("ipsec one link", () => Box.IntentAsync(PlanCases.FullBatch(), Peerings.Of(Peerings.L1))),
        ("ipsec one link rekeyed", () => Box.IntentAsync(PlanCases.FullBatch(),
            Peerings.Of(Peerings.Link("l-1", "198.51.100.9", ["192.168.10.0/24"], ["10.40.0.0/16"], 0xc011, 0xc012, 0x31)))),
        ("ipsec two links", () => Box.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface())), Peerings.Of(Peerings.L1, Peerings.L2))),
        ("wireguard peering", () => Box.IntentAsync(PlanCases.FullBatch(), Box.Peering(Box.WgPeering(Protocol.Docs.Member())))),
        ("wireguard peering two members", () => Box.IntentAsync(PlanCases.FullBatch(), Box.Peering(Box.WgPeering(
            Protocol.Docs.Member() + "," + Protocol.Docs.Member("E-101", Protocol.Docs.KeyB).Replace("10.30.0.0/16", "10.31.0.0/16", StringComparison.Ordinal)
                .Replace("10.250.0.1", "10.250.0.2", StringComparison.Ordinal))))),
        ("nothing", () => Task.FromResult(KernelIntent.Empty)),
    ];

    private static JsonObject RejectAcl() => new()
    {
        ["forward_policy"] = "accept", ["input_policy"] = "drop",
        ["rules"] = new JsonArray(
            new JsonObject { ["name"] = "web", ["chain"] = "forward", ["action"] = "reject", ["destination"] = "192.168.10.0/25", ["protocol"] = "tcp", ["destination_ports"] = "443" },
            new JsonObject { ["name"] = "ping", ["chain"] = "input", ["action"] = "accept", ["protocol"] = "icmp" }),
    };
}
