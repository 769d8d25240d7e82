using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// Everything the kernel should hold, compiled from the applied batch and peering documents: the one input
/// of the planner besides the observed state. <see cref="Firewall"/> is null when firewall.manage is false.
/// </summary>
public sealed record KernelIntent(
    EquatableList<DesiredLinkState> Links,
    EquatableList<DesiredWgDevice> WgDevices,
    EquatableList<DesiredRoute> Routes,
    EquatableList<DesiredRule> Rules,
    FirewallIntent? Firewall)
{
    public static readonly KernelIntent Empty = new([], [], [], [], FirewallIntent.Empty);

    /// <summary>The static IPSec peering groups (SAs and policies in the agent's xfrm bands).</summary>
    public EquatableList<IpsecGroup> Ipsec { get; init; } = [];

    /// <summary>cleanup and decommission: no objects, and the agent's own chains and jumps removed too.</summary>
    public static readonly KernelIntent RemoveEverything = Empty with { RemoveAll = true };

    /// <summary>When set, the firewall's own chains are deleted rather than left empty.</summary>
    public bool RemoveAll { get; init; }

    /// <summary>Kernel settings (the full tunnel's src_valid_mark); restored when no longer wanted if the agent changed them.</summary>
    public EquatableList<DesiredSysctl> Sysctls { get; init; } = [];

    /// <summary>The parts of the batch topics that bring their own subsystem (<see cref="IKernelSubsystem"/>).</summary>
    public EquatableList<IntentPart> Parts { get; init; } = [];

    /// <summary>Things that did not stop the apply but an operator should see (a DNS failure, say).</summary>
    public EquatableList<string> Warnings { get; init; } = [];
}
