using System.Globalization;
using System.Text.Json.Nodes;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// The bench's size L batch (scripts/lib/bench-docs.sh: 2,000 routes, 5,000 acl rules, 100 nat rules, a backbone)
/// with a test world's interface names, so parallel tests never share a wireguard-go socket.
/// </summary>
public static class LargeBatch
{
    public const int Routes = 2000;
    public const int AclRules = 5000;
    public const int NatRules = 100;

    public static JsonObject Create(long sequence, string lan, string backbone, string hubPublicKey) => Fixtures.TestHub.Batch(sequence,
        ("interface", new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = lan, ["addresses"] = new JsonArray("192.168.10.1/24") }) }),
        ("wireguard", new JsonObject
        {
            ["interface"] = backbone, ["enabled"] = true, ["addresses"] = new JsonArray("10.255.0.2/32"), ["listen_port"] = 51820, ["mtu"] = 1420,
            ["hub"] = new JsonObject
            {
                ["kind"] = "dedicated_edge", ["name"] = "hub-fault", ["public_key"] = hubPublicKey, ["endpoint"] = "192.0.2.1:51820",
                ["allowed_ips"] = new JsonArray("10.255.0.0/24", "10.20.0.0/16"), ["persistent_keepalive"] = 25,
            },
            ["lan_subnets"] = new JsonArray("192.168.10.0/24"),
        }),
        ("static", new JsonObject
        {
            ["routes"] = new JsonArray(Enumerable.Range(0, Routes).Select(i => (JsonNode)new JsonObject
            {
                ["destination"] = Text($"10.{100 + i / 250}.{i % 250}.0/24"), ["interface"] = backbone,
            }).ToArray()),
        }),
        ("nat44", new JsonObject
        {
            ["rules"] = new JsonArray(Enumerable.Range(0, NatRules).Select(i => (JsonNode)new JsonObject
            {
                ["type"] = "dnat", ["in_interface"] = backbone, ["protocol"] = "tcp", ["destination_port"] = 8000 + i, ["to"] = Text($"192.168.10.{2 + i % 250}:80"),
            }).ToArray()),
        }),
        ("acl", new JsonObject
        {
            ["forward_policy"] = "accept",
            ["rules"] = new JsonArray(Enumerable.Range(0, AclRules).Select(i => (JsonNode)new JsonObject
            {
                ["name"] = Text($"r{i}"), ["chain"] = "forward", ["action"] = i % 2 == 1 ? "drop" : "accept", ["in_interface"] = backbone,
                ["source"] = Text($"10.{40 + i / 250}.{i % 250}.0/24"), ["protocol"] = "tcp", ["destination_ports"] = Text($"{1000 + i % 60000}"),
            }).ToArray()),
        }));

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
