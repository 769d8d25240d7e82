using BranchConnector.Agent.Config;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// Pure planner: desired own chains vs observed ones. Whatever differs in a family is rewritten with ONE
/// <c>iptables-restore --noflush</c> for that family; an unchanged family yields no command at all.
/// </summary>
public static class FirewallPlanner
{
    public static readonly IReadOnlyList<string> RestoreArguments = ["--noflush", "--wait"];

    /// <summary>The plan for <paramref name="intent"/>; nothing when the agent does not manage the firewall.</summary>
    public static SubsystemPlan Plan(FirewallSettings settings, FirewallIntent intent, ObservedFirewall observed, FirewallBackend backend)
    {
        if (!settings.Manage) return SubsystemPlan.Nothing;
        return PlanTowards(FirewallRenderer.Render(intent), observed, backend);
    }

    /// <summary>Removes every jump and own chain found (cleanup, decommission), one restore per family that has any.</summary>
    public static SubsystemPlan PlanCleanup(ObservedFirewall observed, FirewallBackend backend) =>
        PlanTowards(new DesiredFirewall(new FamilyRuleset(IpFamily.V4, []), new FamilyRuleset(IpFamily.V6, [])), observed, backend);

    public static SubsystemPlan PlanTowards(DesiredFirewall desired, ObservedFirewall observed, FirewallBackend backend)
    {
        var commands = new List<PlannedCommand>();
        var unchanged = 0;
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var diff = FamilyDiff.Compute(desired.For(family), observed.For(family), desired.Origins);
            unchanged += diff.Unchanged;
            if (!diff.NeedsRestore) continue;
            var request = new CommandRequest(backend.Restore(family), RestoreArguments)
            {
                Stdin = RestoreScript.Build(diff, observed.For(family)),
                Mutates = true,
                Timeout = TimeSpan.FromSeconds(120),
            };
            commands.Add(new PlannedCommand(Stage.Firewall, request, diff.Changes)
            {
                IsRemoval = diff.Changes.All(c => c.Kind == ChangeKind.Removed),
            });
        }
        return new SubsystemPlan(commands, unchanged);
    }
}
