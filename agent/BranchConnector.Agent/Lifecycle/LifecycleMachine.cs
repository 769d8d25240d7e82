namespace BranchConnector.Agent.Lifecycle;

/// <summary>
/// The persisted part of the lifecycle is the "administrative" state: pending_approval, approved, provisioned
/// or decommissioned. active and offline are derived from it plus the live facts (broker connected, backbone
/// handshake), so they never go stale in a file.
/// </summary>
public static class LifecycleMachine
{
    public static LifecycleState OnApprove(LifecycleState persisted) =>
        persisted == LifecycleState.PendingApproval ? LifecycleState.Approved : persisted;

    /// <summary>A valid batch applied also counts as approval; the first one provisions.</summary>
    public static LifecycleState OnBatchApplied(LifecycleState persisted) =>
        persisted is LifecycleState.PendingApproval or LifecycleState.Approved ? LifecycleState.Provisioned : persisted;

    public static LifecycleState Effective(LifecycleState persisted, bool brokerConnected, bool backboneActive)
    {
        if (persisted == LifecycleState.Decommissioned) return persisted;
        if (!brokerConnected) return persisted == LifecycleState.Provisioned ? LifecycleState.Offline : persisted;
        if (persisted == LifecycleState.Provisioned && backboneActive) return LifecycleState.Active;
        return persisted;
    }
}
