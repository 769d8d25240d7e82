using System.Text.RegularExpressions;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Firewall;

/// <summary>The agent's firewall parts (observer, planner, the planned restores) run against one namespace.</summary>
internal sealed partial class FirewallHarness(string ns, FirewallBackend? backend = null)
{
    public static readonly FirewallSettings Managed = new(true, FirewallBackendChoice.Auto);

    public ProcessCommandRunner Processes { get; } = new();
    public FirewallBackend Backend { get; } = backend ?? FirewallBackend.Nft;
    public ICommandRunner Runner => new NamespacedCommandRunner(Processes, ns);

    public Task<ObservedFirewall> ObserveAsync() => new FirewallObserver(Runner, Backend).ObserveAsync(CancellationToken.None);

    public async Task<SubsystemPlan> PlanAsync(FirewallIntent intent) =>
        FirewallPlanner.Plan(Managed, intent, await ObserveAsync(), Backend);

    /// <summary>Observe, plan and run the plan, as the reconciler does; returns the plan it ran.</summary>
    public async Task<SubsystemPlan> ApplyAsync(FirewallIntent intent) => await RunAsync(await PlanAsync(intent));

    public async Task<SubsystemPlan> CleanupAsync() => await RunAsync(FirewallPlanner.PlanCleanup(await ObserveAsync(), Backend));

    private async Task<SubsystemPlan> RunAsync(SubsystemPlan plan)
    {
        foreach (var command in plan.Commands)
        {
            var result = await Runner.RunAsync(command.Request, CancellationToken.None);
            if (!result.Succeeded) throw new InvalidOperationException(result.Describe() + "\n" + command.Request.Stdin);
        }
        return plan;
    }

    public async Task<string> SaveAsync(IpFamily family)
    {
        var save = IpFamily.V4 == family ? "iptables-nft-save" : "ip6tables-nft-save";
        var r = await Sh.RunAsync("ip", "netns", "exec", ns, Backend == FirewallBackend.Nft ? save : save.Replace("nft", "legacy", StringComparison.Ordinal));
        if (!r.Succeeded) throw new InvalidOperationException(r.Describe());
        return r.Stdout;
    }

    /// <summary>
    /// Everyone else's ruleset of both families: save output without comments, counters, our chains and our jumps.
    /// A table holding nothing but empty ACCEPT built-in chains is left out: iptables creates it on first use
    /// (our chain in a table nobody used yet) and it filters nothing, present or not.
    /// </summary>
    public async Task<string> ForeignAsync() =>
        Foreign(await SaveAsync(IpFamily.V4)) + "=== ipv6 ===\n" + Foreign(await SaveAsync(IpFamily.V6));

    public static string Foreign(string save)
    {
        var lines = save.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(":BC-", StringComparison.Ordinal) && !l.StartsWith("-A BC-", StringComparison.Ordinal)
                && (IptablesSaveParser.TargetOf(l) is not { } target || !target.StartsWith("BC-", StringComparison.Ordinal)))
            .Select(l => Counters().Replace(l, ""));
        var tables = new List<List<string>>();
        foreach (var line in lines)
        {
            if (line.StartsWith('*')) tables.Add([]);
            if (tables.Count > 0) tables[^1].Add(line);
        }
        return string.Concat(tables
            .Where(t => !t.Skip(1).All(l => l == "COMMIT" || (l.StartsWith(':') && l.EndsWith(" ACCEPT ", StringComparison.Ordinal))))
            .Select(t => string.Join('\n', t) + "\n"));
    }

    [GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial Regex Counters();
}
