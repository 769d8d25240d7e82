using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Hosting;

public enum DriftKind
{
    /// <summary>The kernel already held everything: nothing planned.</summary>
    None,
    /// <summary>Something was planned but could not be carried out (or the plan was refused).</summary>
    RepairFailed,
    /// <summary>The intent itself changed (relay switch, re-resolved endpoint): a new decision, not drift.</summary>
    NewDecision,
    /// <summary>Same intent, yet the kernel had to be changed: someone else changed what the agent owns.</summary>
    Repaired,
}

/// <summary>How one re-apply of the applied documents is counted (pure, so the counting rule is unit-tested).</summary>
public sealed record DriftVerdict(DriftKind Kind, int Changes)
{
    public static DriftVerdict Of(KernelIntent applied, KernelIntent planned, ReconcileOutcome outcome)
    {
        var changes = outcome.Plan.Changes.Count();
        if (changes == 0) return new(DriftKind.None, 0);
        if (!outcome.Succeeded) return new(DriftKind.RepairFailed, changes);
        return SameShape(planned, applied) ? new(DriftKind.Repaired, changes) : new(DriftKind.NewDecision, changes);
    }

    /// <summary>The same kernel objects wanted (warnings aside).</summary>
    private static bool SameShape(KernelIntent a, KernelIntent b) => a == b with { Warnings = a.Warnings };
}
