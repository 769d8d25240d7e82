using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// What <see cref="XfrmPlanner"/> returns. States and policies are separate `ip -batch` processes so that a
/// kernel without ESP (every state add fails) still gets its policies. Run order: the non-removal commands of
/// <see cref="States"/>, then of <see cref="Policies"/>; then the removals of <see cref="Policies"/>, then of
/// <see cref="States"/> (a policy never points at an SA already gone).
/// </summary>
public sealed record XfrmPlan(SubsystemPlan States, SubsystemPlan Policies, IReadOnlyList<RetiringSa> Retiring)
{
    /// <summary>
    /// The start number of every outbound SA this plan installs: recorded (write-ahead) before the plan runs, so a
    /// crash right after the install still leaves a record the next start goes above.
    /// </summary>
    public IReadOnlyDictionary<SaSequenceKey, ulong> SequencesBefore { get; init; } = new Dictionary<SaSequenceKey, ulong>();

    /// <summary>Links whose outbound SA is not installed (or nears exhaustion) with the keys the agent has: new keys are needed.</summary>
    public IReadOnlyList<RekeyNeed> RekeyNeeds { get; init; } = [];

    /// <summary>When the caller must plan again so retiring SAs are removed (null: nothing is retiring).</summary>
    public DateTimeOffset? NextRemoval => Retiring.Count == 0 ? null : Retiring.Min(r => r.RemoveAfter);
}
