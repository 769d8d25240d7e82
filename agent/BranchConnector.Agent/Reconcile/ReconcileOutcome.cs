using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// What one reconcile did. <see cref="Plan"/> is the plan for the requested intent; on failure
/// <see cref="Failure"/> says where it stopped and <see cref="RolledBack"/> whether the fallback state was
/// restored. <see cref="Problems"/> are reasons the plan was refused before anything ran.
/// </summary>
public sealed record ReconcileOutcome(
    ReconcilePlan Plan,
    ApplyResult? Apply,
    IReadOnlyList<string> Problems,
    bool RolledBack,
    ApplyFailure? RollbackFailure,
    TimeSpan Duration)
{
    /// <summary>Why the intent was refused before planning: objects with one identity and different content (also in <see cref="Problems"/>).</summary>
    public IReadOnlyList<IntentConflict> Conflicts { get; init; } = [];

    public bool Succeeded => Problems.Count == 0 && Apply is { Succeeded: true };
    public ApplyFailure? Failure => Apply?.Failure;

    /// <summary>What this box could not do but did not fail on (plan and apply), for the Confirm's warnings.</summary>
    public IReadOnlyList<string> Warnings => [.. Plan.Warnings, .. Apply?.Warnings ?? []];
}
