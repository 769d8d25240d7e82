using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Routes;

/// <summary>What the reconciler does around the pure planner: observe with the parsers' commands, run a plan's commands.</summary>
internal sealed class LiveRouting(NetnsWorld world, string ns)
{
    public ProcessCommandRunner Processes { get; } = new();
    public ICommandRunner Runner => new NamespacedCommandRunner(Processes, ns);

    public async Task<(IReadOnlyList<ObservedRoute> Routes, IReadOnlyList<ObservedRule> Rules)> ObserveAsync()
    {
        var routes = new List<ObservedRoute>();
        var rules = new List<ObservedRule>();
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            routes.AddRange(RouteParser.Parse(await OkAsync(RouteParser.Request(family)), family));
            rules.AddRange(RuleParser.Parse(await OkAsync(RuleParser.Request(family)), family));
        }
        return (routes, rules);
    }

    public async Task<SubsystemPlan> PlanAsync(IReadOnlyList<DesiredRoute> routes, IReadOnlyList<DesiredRule>? rules = null)
    {
        var (observedRoutes, observedRules) = await ObserveAsync();
        return RoutePlanner.Plan(routes, rules ?? [], observedRoutes, observedRules);
    }

    /// <summary>Runs the commands in plan order; returns the first failure, or null.</summary>
    public async Task<CommandResult?> ApplyAsync(SubsystemPlan plan)
    {
        foreach (var command in plan.Commands)
        {
            var result = await Runner.RunAsync(command.Request, CancellationToken.None);
            if (!result.Succeeded) return result;
        }
        return null;
    }

    public async Task ApplyOkAsync(SubsystemPlan plan)
    {
        var failure = await ApplyAsync(plan);
        Assert.True(failure is null, failure?.Describe());
    }

    /// <summary>Everything in the routing state that is not the agent's: non-188 routes of both families, rules outside the band.</summary>
    public async Task<string> ForeignStateAsync()
    {
        var routes4 = await world.ExecOkAsync(ns, "ip", "-4", "-N", "route", "show", "table", "all");
        var routes6 = await world.ExecOkAsync(ns, "ip", "-6", "-N", "route", "show", "table", "all");
        var rules4 = await world.ExecOkAsync(ns, "ip", "-4", "rule", "show");
        var rules6 = await world.ExecOkAsync(ns, "ip", "-6", "rule", "show");
        // IPv6 local-table entries (link-local, multicast) appear whenever the kernel finishes address
        // configuration: they are nobody's configuration, so they are left out of the comparison.
        var routes = routes4.Split('\n')
            .Concat(routes6.Split('\n').Where(l => !l.Contains(" table 255 ", StringComparison.Ordinal)))
            .Where(l => !l.Contains(" proto 188", StringComparison.Ordinal));
        var rules = (rules4 + rules6).Split('\n').Where(l => !(int.TryParse(l.Split(':')[0], out var p) && RuleBand.Contains(p)));
        return string.Join('\n', routes.Concat(rules));
    }

    private async Task<string> OkAsync(CommandRequest request)
    {
        var result = await Runner.RunAsync(request, CancellationToken.None);
        Assert.True(result.Succeeded, result.Describe());
        return result.Stdout;
    }
}
