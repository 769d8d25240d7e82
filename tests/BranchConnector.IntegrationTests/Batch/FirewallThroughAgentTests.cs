using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Firewall;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Batch;

/// <summary>acl and nat44 through the real agent on a box that already has somebody else's ruleset.</summary>
public class FirewallThroughAgentTests
{
    [Fact]
    public async Task Acl_and_nat_apply_around_a_foreign_ruleset_that_stays_byte_identical_and_the_acl_decides_hub_traffic()
    {
        await using var lab = await BranchLab.StartAsync(driftCheckSeconds: 2);
        await RestoreAsync(lab, "iptables-nft-restore", ForeignRuleset.V4);
        await RestoreAsync(lab, "ip6tables-nft-restore", ForeignRuleset.V6);
        var foreign = await lab.ForeignIptablesAsync();
        Assert.Contains("-A DOCKER-USER -j RETURN", foreign, StringComparison.Ordinal);
        await using var listener = await LanListener.StartAsync(lab, 8080);

        await lab.StartConnectedAsync();
        await lab.ApplyAsync(Batch(lab, 1, "drop"));
        Assert.Equal(foreign, await lab.ForeignIptablesAsync());
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp, 5), "no tunnel through the agent's firewall\n" + lab.Agent.Output);
        Assert.False(await listener.ConnectsFromAsync(lab.Hub, BranchLab.LanHostIp, 8080), "acl drop let the hub in");

        await lab.ApplyAsync(Batch(lab, 2, "accept"));
        Assert.Equal(foreign, await lab.ForeignIptablesAsync());
        Assert.True(await listener.ConnectsFromAsync(lab.Hub, BranchLab.LanHostIp, 8080), "acl accept did not let the hub in\n" + await lab.BranchAsync("iptables-nft-save"));

        var repairs = lab.Agent.Output.Split('\n').Count(l => l.Contains("drift repaired", StringComparison.Ordinal));
        await lab.BranchAsync("iptables-nft", "-F", "BC-FORWARD");
        Assert.True(await LabSteps.EventuallyAsync(() => Task.FromResult(
            lab.Agent.Output.Split('\n').Count(l => l.Contains("drift repaired", StringComparison.Ordinal)) > repairs), TimeSpan.FromSeconds(8)), lab.Agent.Output);
        Assert.Equal(foreign, await lab.ForeignIptablesAsync());
        Assert.True(await listener.ConnectsFromAsync(lab.Hub, BranchLab.LanHostIp, 8080), "not repaired");

        Assert.Equal(0, await lab.Agent.StopAsync());
        var cleanup = await lab.World.ExecAsync(lab.Branch, Fixtures.AgentBinary.Path, "cleanup", "--config", lab.Agent.ConfigFile);
        Assert.True(cleanup.Succeeded, cleanup.Describe() + "\n" + cleanup.Stdout);
        Assert.Equal(foreign, await lab.ForeignIptablesAsync());
        Assert.DoesNotContain("BC-", await lab.BranchAsync("iptables-nft-save"), StringComparison.Ordinal);
        Assert.DoesNotContain("BC-", await lab.BranchAsync("ip6tables-nft-save"), StringComparison.Ordinal);
    }

    private static JsonObject Batch(BranchLab lab, long sequence, string action) => lab.BackboneBatch(sequence,
        ("nat44", new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject { ["type"] = "masquerade", ["source"] = BranchLab.LanSubnet, ["out_interface"] = $"wan{lab.World.Tag}" }),
        }),
        ("acl", new JsonObject
        {
            ["forward_policy"] = "accept", ["input_policy"] = "accept",
            ["rules"] = new JsonArray(new JsonObject
            {
                ["name"] = "hub-to-8080", ["chain"] = "forward", ["action"] = action, ["in_interface"] = lab.BackboneIf,
                ["destination"] = BranchLab.LanSubnet, ["protocol"] = "tcp", ["destination_ports"] = "8080",
            }),
        }));

    private static async Task RestoreAsync(BranchLab lab, string tool, string rules)
    {
        var file = Path.Combine(lab.Agent.Directory, tool + ".rules");
        await File.WriteAllTextAsync(file, rules);
        await lab.BranchAsync(tool, file);
    }
}
