using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Drift;

/// <summary>Somebody changes what the agent owns; the next drift check (every 2 s here) puts it back and counts it.</summary>
public partial class DriftRepairTests
{
    private static readonly TimeSpan OneIntervalAndMargin = TimeSpan.FromSeconds(2 + 6);

    [Fact]
    public async Task A_deleted_route_a_flushed_chain_a_deleted_jump_and_a_deleted_device_are_each_repaired_and_counted()
    {
        await using var lab = await BranchLab.StartAsync(driftCheckSeconds: 2);
        await lab.StartConnectedAsync();
        await lab.ApplyAsync(lab.BackboneBatch(1,
            ("static", LabSteps.StaticBody(["10.30.0.0/16"], lab.BackboneIf)),
            ("acl", new JsonObject
            {
                ["forward_policy"] = "accept", ["input_policy"] = "accept",
                ["rules"] = new JsonArray(new JsonObject { ["name"] = "no-telnet", ["chain"] = "forward", ["action"] = "drop", ["protocol"] = "tcp", ["destination_ports"] = "23" }),
            })));
        var applied = Normalised(await lab.SettledLiveStateAsync());
        Assert.Contains("-A BC-FORWARD", applied, StringComparison.Ordinal);

        await AssertRepairedAsync(lab, applied, "ip", "route", "del", "10.30.0.0/16", "proto", "188");
        await AssertRepairedAsync(lab, applied, "iptables-nft", "-F", "BC-FORWARD");
        await AssertRepairedAsync(lab, applied, "iptables-nft", "-D", "FORWARD", "-m", "comment", "--comment", "branch-connector", "-j", "BC-FORWARD");
        await AssertRepairedAsync(lab, applied, "ip", "link", "del", lab.BackboneIf);
        Assert.True(await LabSteps.EventuallyAsync(() => lab.PingFromLanAsync(BranchLab.DataCentreIp, 1), TimeSpan.FromSeconds(10)),
            "the recreated backbone does not carry traffic\n" + lab.Agent.Output);
    }

    [Fact]
    public async Task A_deleted_route_is_repaired_at_once_from_the_kernel_change_notification()
    {
        // The periodic check is an hour away here: only the rtnetlink trigger can repair this in time.
        await using var lab = await BranchLab.StartAsync(driftCheckSeconds: 3600);
        await lab.StartConnectedAsync();
        await lab.ApplyAsync(lab.BackboneBatch(1, ("static", LabSteps.StaticBody(["10.30.0.0/16"], lab.BackboneIf))));
        await lab.BranchAsync("ip", "route", "del", "10.30.0.0/16", "proto", "188");
        var back = await LabSteps.EventuallyAsync(async () =>
            (await lab.BranchAsync("ip", "route", "show", "10.30.0.0/16", "proto", "188")).Contains("10.30.0.0/16", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.True(back, "the route was not put back by the change notification\n" + lab.Agent.Output);
        // The line is written when the repair's apply has finished, a moment after the route is back.
        var logged = await LabSteps.EventuallyAsync(() => Task.FromResult(lab.Agent.Output.Contains("drift repaired", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        Assert.True(logged, "the repair was not logged as drift\n" + lab.Agent.Output);
    }

    private static async Task AssertRepairedAsync(BranchLab lab, string applied, params string[] drift)
    {
        var repairs = await DriftRepairsAsync(lab);
        var logged = LabSteps.Occurrences(lab.Agent.Output, "drift repaired");
        // The command succeeding is the proof that the object was there and is gone now; reading the state back
        // could race with a drift check that has already repaired it.
        await lab.BranchAsync(drift);
        var repaired = await LabSteps.EventuallyAsync(async () => Normalised(await lab.LiveStateAsync()) == applied && await DriftRepairsAsync(lab) > repairs, OneIntervalAndMargin);
        Assert.True(repaired, $"{string.Join(' ', drift)}: not repaired within {OneIntervalAndMargin}\n{await lab.LiveStateAsync()}\n{lab.Agent.Output}");
        Assert.True(LabSteps.Occurrences(lab.Agent.Output, "drift repaired") > logged, lab.Agent.Output);
    }

    /// <summary>
    /// The state as a sorted list of lines without interface indexes and IPv6 link-local addresses: a recreated
    /// device comes back under a new index with a new random link-local address (which also moves its routes).
    /// </summary>
    private static string Normalised(string state) =>
        string.Join('\n', LinkLocal().Replace(IfIndex().Replace(state, ""), "fe80::*").Split('\n').Order(StringComparer.Ordinal));

    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^\d+: ")]
    private static partial System.Text.RegularExpressions.Regex IfIndex();

    [System.Text.RegularExpressions.GeneratedRegex(@"fe80::[0-9a-f:]+")]
    private static partial System.Text.RegularExpressions.Regex LinkLocal();

    /// <summary>The agent's persisted drift_repairs counter.</summary>
    private static async Task<long> DriftRepairsAsync(BranchLab lab)
    {
        var path = Path.Combine(lab.Agent.StateDir, "agent-state.json");
        try
        {
            return JsonNode.Parse(await File.ReadAllTextAsync(path))?["drift_repairs"]?.GetValue<long>() ?? 0;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return -1;
        }
    }
}
