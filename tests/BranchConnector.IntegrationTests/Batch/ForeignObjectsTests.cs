using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Batch;

/// <summary>Routes and addresses somebody else made stay as they are through apply, change and cleanup.</summary>
public class ForeignObjectsTests
{
    private static readonly string[] ForeignRoutes =
    [
        "198.51.100.0/24 via 192.0.2.1 dev",
        "203.0.113.0/24 via 192.0.2.1 dev",
    ];

    [Fact]
    public async Task Foreign_routes_and_addresses_survive_apply_change_and_cleanup_which_removes_all_of_ours()
    {
        await using var lab = await BranchLab.StartAsync();
        await lab.BranchAsync("ip", "route", "add", "198.51.100.0/24", "via", BranchLab.HubWan);
        await lab.BranchAsync("ip", "route", "add", "203.0.113.0/24", "via", BranchLab.HubWan, "table", "100");
        await lab.BranchAsync("ip", "addr", "add", "192.168.10.250/24", "dev", lab.LanIf);
        var foreign = await ForeignStateAsync(lab);
        Assert.Contains("198.51.100.0/24 via 192.0.2.1", foreign, StringComparison.Ordinal);
        Assert.Contains("203.0.113.0/24 via 192.0.2.1", foreign, StringComparison.Ordinal);
        Assert.Contains("192.168.10.250/24", foreign, StringComparison.Ordinal);
        // proto 188 is the agent's mark: such a route is the agent's, whoever added it (a crashed run's leftover).
        await lab.BranchAsync("ip", "route", "add", "10.99.0.0/16", "dev", lab.LanIf, "proto", "188");
        var pristine = await lab.SettledLiveStateAsync();
        var pristineFirewall = await lab.ForeignIptablesAsync();

        await lab.StartConnectedAsync();
        await lab.ApplyAsync(lab.BackboneBatch(1, ("static", LabSteps.StaticBody(["10.30.0.0/16"], lab.BackboneIf))));
        Assert.Equal(foreign, await ForeignStateAsync(lab));
        Assert.DoesNotContain("10.99.0.0/16", await lab.BranchAsync("ip", "route", "show", "table", "all"), StringComparison.Ordinal);
        Assert.Contains("10.30.0.0/16 dev " + lab.BackboneIf, await lab.BranchAsync("ip", "route", "show", "proto", "188"), StringComparison.Ordinal);

        await lab.ApplyAsync(lab.BackboneBatch(2, ("static", LabSteps.StaticBody(["10.31.0.0/16"], lab.BackboneIf))));
        Assert.Equal(foreign, await ForeignStateAsync(lab));

        Assert.Equal(0, await lab.Agent.StopAsync());
        var cleanup = await lab.World.ExecAsync(lab.Branch, Fixtures.AgentBinary.Path, "cleanup", "--config", lab.Agent.ConfigFile);
        Assert.True(cleanup.Succeeded, cleanup.Describe() + "\n" + cleanup.Stdout);
        Assert.Equal(foreign, await ForeignStateAsync(lab));
        Assert.False((await lab.World.ExecAsync(lab.Branch, "ip", "link", "show", lab.BackboneIf)).Succeeded, "cleanup left the backbone device");
        Assert.Equal("", (await lab.BranchAsync("ip", "route", "show", "table", "all", "proto", "188")).Trim());
        Assert.DoesNotContain("BC-", await lab.BranchAsync("iptables-nft-save"), StringComparison.Ordinal);
        Assert.DoesNotContain("BC-", await lab.BranchAsync("ip6tables-nft-save"), StringComparison.Ordinal);
        // Everything else is as it was before the agent ever ran (minus the proto 188 route, which was the agent's;
        // iptables compared as rulesets: a table iptables created on first use may stay, holding nothing).
        Assert.Equal(Kernel(Without(pristine, "10.99.0.0/16")), Kernel(Without(await lab.SettledLiveStateAsync(), "10.99.0.0/16")));
        Assert.Equal(pristineFirewall, await lab.ForeignIptablesAsync());
    }

    /// <summary>The foreign objects: the routes in main and table 100, and the addresses on the LAN link other than the agent's.</summary>
    private static async Task<string> ForeignStateAsync(BranchLab lab)
    {
        var routes = (await lab.BranchAsync("ip", "route", "show", "table", "all")).Split('\n')
            .Where(l => l.StartsWith("198.51.100.0/24", StringComparison.Ordinal) || l.StartsWith("203.0.113.0/24", StringComparison.Ordinal));
        var addresses = (await lab.BranchAsync("ip", "-o", "addr", "show", "dev", lab.LanIf)).Split('\n')
            .Where(l => l.Contains("192.168.10.250/24", StringComparison.Ordinal));
        return string.Join('\n', routes.Concat(addresses));
    }

    private static string Kernel(string state) => state[..state.IndexOf("== iptables", StringComparison.Ordinal)];

    private static string Without(string text, string needle) =>
        string.Join('\n', text.Split('\n').Where(l => !l.Contains(needle, StringComparison.Ordinal)));
}
