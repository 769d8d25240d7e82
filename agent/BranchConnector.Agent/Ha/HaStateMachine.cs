namespace BranchConnector.Agent.Ha;

/// <summary>Why the box is where it is, beyond what keepalived knows: the agent's own verdicts.</summary>
public sealed record HaConditions(bool Drained, bool BackboneDown);

/// <summary>
/// keepalived's view (BACKUP, MASTER, FAULT, STOP) plus the agent's (drained, backbone down) → the HaState
/// name and reason of the protocol. keepalived says FAULT for a track file or a down interface alike; the
/// agent knows which file it wrote, so it names the cause.
/// </summary>
public static class HaStateMachine
{
    public const string ReasonBackboneDown = "backbone down";
    public const string ReasonDrained = "drained by the hub";
    public const string ReasonInterfaceDown = "LAN interface down";

    public static (string State, string? Reason) Map(VrrpEvent ev, HaConditions conditions) => ev switch
    {
        VrrpEvent.Master => (HaStatePayload.Master, null),
        VrrpEvent.Backup => (HaStatePayload.Backup, null),
        VrrpEvent.Fault when conditions.Drained => (HaStatePayload.Draining, ReasonDrained),
        VrrpEvent.Fault when conditions.BackboneDown => (HaStatePayload.Fault, ReasonBackboneDown),
        VrrpEvent.Fault => (HaStatePayload.Fault, ReasonInterfaceDown),
        _ => (HaStatePayload.Stopped, "keepalived stopped"),
    };
}
