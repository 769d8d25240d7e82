using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Peering;

public class IpsecPeeringTests
{
    private static readonly string Key1 = new('a', 72);
    private static readonly string Key2 = new('b', 72);

    private static JsonObject Document(long sequence) => TestHub.Peering(sequence, new JsonArray(new JsonObject
    {
        ["id"] = "pg-2", ["name"] = "dc-links", ["protocol"] = "ipsec", ["topology"] = "mesh", ["role"] = "mesh-peer",
        ["listen_port"] = 4500, ["local_address"] = BranchLab.BranchWan,
        ["links"] = new JsonArray(new JsonObject
        {
            ["id"] = "l-1", ["peer_serial"] = "E-200", ["remote_address"] = "192.0.2.9", ["remote_port"] = 4500,
            ["local_subnets"] = new JsonArray(BranchLab.LanSubnet), ["remote_subnets"] = new JsonArray("10.40.0.0/16"),
            ["outbound"] = new JsonObject { ["spi"] = "0x0000c001", ["key"] = Key1 },
            ["inbound"] = new JsonObject { ["spi"] = "0x0000c002", ["key"] = Key2 },
        }),
    }));

    [Fact]
    public async Task Policies_install_and_the_missing_esp_support_is_named_without_leaking_keys()
    {
        await using var lab = await BranchLab.StartAsync();
        lab.Agent.Start();
        await lab.RegisterAsync();
        await lab.TestHub.PublishPeeringAsync(lab.Serial, Document(1));
        var confirm = await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1, kind: "e2e-peering/confirm");

        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString());
        var warnings = confirm["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Contains(warnings, w => w.Contains("kernel lacks ESP support (esp4)", StringComparison.Ordinal));
        var policies = await lab.BranchAsync("ip", "xfrm", "policy");
        Assert.Contains("10.40.0.0/16", policies, StringComparison.Ordinal);
        Assert.DoesNotContain(Key1, lab.Agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key2, lab.Agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key1, confirm.ToJsonString(), StringComparison.Ordinal);

        // The agent holds the ESP-in-UDP socket on the listen port.
        var sockets = await lab.BranchAsync("ss", "-uanp");
        Assert.Contains(":4500", sockets, StringComparison.Ordinal);

        // Re-applying: the SAs that cannot exist here are not "drift" and nothing else changes.
        await lab.TestHub.PublishPeeringAsync(lab.Serial, Document(2));
        var again = await lab.TestHub.WaitForConfirmAsync(lab.Serial, 2, kind: "e2e-peering/confirm");
        Assert.Equal(0, again["changes"]!["added"]!.GetValue<int>());
    }
}
