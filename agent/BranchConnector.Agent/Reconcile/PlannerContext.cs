using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Reconcile;

/// <summary>The facts the pure planner needs besides desired and observed state.</summary>
public sealed record PlannerContext(
    WgImplementation WgImplementation,
    string WgUserspaceCommand,
    OwnershipRecord Owned,
    Func<string, Secret> PrivateKeyFor,
    DateTimeOffset Now,
    TimeSpan HandshakeFreshness,
    FirewallSettings FirewallSettings,
    FirewallBackend? FirewallBackend)
{
    /// <summary>Old SAs of a make-before-break rekey, removed once their time has come.</summary>
    public IReadOnlyCollection<RetiringSa> RetiringSas { get; init; } = [];

    /// <summary>False on a kernel without ESP: SAs are not planned (they cannot be installed), policies still are.</summary>
    public bool EspAvailable { get; init; } = true;

    /// <summary>The IPSec sequence record and the SAs used before: where an SA installed again starts (docs/xfrm.md).</summary>
    public OutboundSequences Sequences { get; init; } = OutboundSequences.None;

    /// <summary>The subsystems batch topics bring (<see cref="Protocol.BatchTopics"/>); planned after the shared ones.</summary>
    public IReadOnlyList<IKernelSubsystem> Subsystems { get; init; } = Protocol.BatchTopics.Subsystems;
}
