using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>
/// The interface stage's plan. <see cref="Plan"/> holds at most two `ip -batch -` commands (changes, then
/// removals). Journal <see cref="OwnedBeforeApply"/> before running them, so a crash mid-apply still knows
/// every address it may have added; journal <see cref="OwnedAfterApply"/> once they succeeded.
/// </summary>
public sealed record InterfacePlan(
    SubsystemPlan Plan,
    IReadOnlyList<InterfaceProblem> Problems,
    IReadOnlySet<OwnedAddress> OwnedBeforeApply,
    IReadOnlySet<OwnedAddress> OwnedAfterApply)
{
    public bool HasProblems => Problems.Count > 0;
}
