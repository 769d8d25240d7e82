using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.Hosting;

/// <summary>Drift counting: only changes needed for an unchanged intent are drift; failures and new decisions are not counted.</summary>
public sealed class DriftVerdictTests
{
    private static readonly PlannedChange Route = new(ChangeKind.Added, "static", "route 10.9.0.0/16 dev wg0");

    private static ReconcileOutcome Outcome(int changes, bool failed = false, IReadOnlyList<string>? problems = null)
    {
        var command = new PlannedCommand(Stage.Static, new CommandRequest("ip", ["-batch", "-"]), [.. Enumerable.Repeat(Route, changes)]);
        var commands = changes == 0 ? [] : new[] { command };
        var failure = failed ? new ApplyFailure(command, new CommandResult(command.Request, 2, "", "boom", TimeSpan.Zero, false), null) : null;
        return new ReconcileOutcome(new ReconcilePlan(commands, [], 4, OwnershipRecord.Empty, OwnershipRecord.Empty),
            problems is null ? new ApplyResult(commands.Length, failure) : null, problems ?? [], false, null, TimeSpan.Zero);
    }

    private static readonly KernelIntent Applied = KernelIntent.Empty with { Warnings = ["dns slow"] };

    [Fact]
    public void Nothing_planned_is_no_drift() =>
        Assert.Equal(new DriftVerdict(DriftKind.None, 0), DriftVerdict.Of(Applied, Applied, Outcome(0)));

    [Fact]
    public void Changes_for_the_same_intent_are_counted_as_drift_even_when_only_warnings_differ() =>
        Assert.Equal(new DriftVerdict(DriftKind.Repaired, 3), DriftVerdict.Of(Applied, KernelIntent.Empty, Outcome(3)));

    [Fact]
    public void A_changed_intent_is_a_new_decision_not_drift()
    {
        var relayed = KernelIntent.Empty with
        {
            Routes = [new DesiredRoute("10.9.0.0/16", null, "wg0", null, 254)],
        };
        Assert.Equal(DriftKind.NewDecision, DriftVerdict.Of(Applied, relayed, Outcome(1)).Kind);
    }

    [Fact]
    public void A_failed_repair_is_not_counted()
    {
        Assert.Equal(DriftKind.RepairFailed, DriftVerdict.Of(Applied, Applied, Outcome(2, failed: true)).Kind);
        Assert.Equal(DriftKind.None, DriftVerdict.Of(Applied, Applied, Outcome(0, problems: ["two routes, one identity"])).Kind);
    }
}
