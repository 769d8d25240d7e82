using System.Text.RegularExpressions;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Batch;

/// <summary>A batch is applied as a delta against the live kernel: one new route of 501 is one route operation.</summary>
public partial class RouteDeltaTests
{
    [Fact]
    public async Task One_route_added_to_a_500_route_batch_is_one_operation_and_the_same_batch_again_is_none()
    {
        await using var lab = await BranchLab.StartAsync();
        await lab.StartConnectedAsync();
        var routes = LabSteps.HostRoutes(500).ToList();
        var first = await lab.ApplyAsync(lab.BackboneBatch(1, ("static", LabSteps.StaticBody(routes, lab.BackboneIf))));
        Assert.True(LabSteps.Changes(first).Added >= 500, first.ToJsonString());
        Assert.Equal(500, await CountAgentRoutesAsync(lab, "10.100."));

        var extra = LabSteps.HostRoutes(1, 500).Single();
        var before = lab.Agent.Output.Length;
        var second = await lab.ApplyAsync(lab.BackboneBatch(2, ("static", LabSteps.StaticBody([.. routes, extra], lab.BackboneIf))));
        Assert.Equal((1, 0, 0), LabSteps.Changes(second));
        var log = lab.Agent.Output[before..];
        var operations = RouteOperation().Matches(log).Select(m => m.Value).ToList();
        Assert.Equal([$"batch 2: added static route {extra} dev {lab.BackboneIf}"], operations);
        Assert.Equal(501, await CountAgentRoutesAsync(lab, "10.100."));

        before = lab.Agent.Output.Length;
        var third = await lab.ApplyAsync(lab.BackboneBatch(3, ("static", LabSteps.StaticBody([.. routes, extra], lab.BackboneIf))));
        Assert.Equal((0, 0, 0), LabSteps.Changes(third));
        Assert.Empty(RouteOperation().Matches(lab.Agent.Output[before..]));
    }

    private static async Task<int> CountAgentRoutesAsync(BranchLab lab, string prefix) =>
        (await lab.BranchAsync("ip", "route", "show", "proto", "188")).Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>A logged planned change of a route or rule, up to the device name.</summary>
    [GeneratedRegex(@"batch \d+: (added|removed|changed) static (route|rule) \S+( via \S+)?( dev \S+)?")]
    private static partial Regex RouteOperation();
}
