namespace BranchConnector.Agent.Lifecycle;

/// <summary>spec: pending_approval → approved → provisioned → active → offline → decommissioned.</summary>
public enum LifecycleState { PendingApproval, Approved, Provisioned, Active, Offline, Decommissioned }

public static class LifecycleStateNames
{
    public static string ToWire(this LifecycleState state) => state switch
    {
        LifecycleState.PendingApproval => "pending_approval",
        LifecycleState.Approved => "approved",
        LifecycleState.Provisioned => "provisioned",
        LifecycleState.Active => "active",
        LifecycleState.Offline => "offline",
        LifecycleState.Decommissioned => "decommissioned",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static LifecycleState? FromWire(string? text) => text switch
    {
        "pending_approval" => LifecycleState.PendingApproval,
        "approved" => LifecycleState.Approved,
        "provisioned" => LifecycleState.Provisioned,
        "active" => LifecycleState.Active,
        "offline" => LifecycleState.Offline,
        "decommissioned" => LifecycleState.Decommissioned,
        _ => null,
    };
}
