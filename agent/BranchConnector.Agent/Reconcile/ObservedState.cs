using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;

namespace BranchConnector.Agent.Reconcile;

/// <summary>The live kernel state the agent cares about, read in one observe pass. Firewall is null when unmanaged.</summary>
public sealed record ObservedState(
    IReadOnlyList<ObservedLink> Links,
    IReadOnlyDictionary<string, ObservedWgDevice> WgDevices,
    IReadOnlyList<ObservedRoute> Routes,
    IReadOnlyList<ObservedRule> Rules,
    ObservedFirewall? Firewall,
    ObservedXfrm Xfrm)
{
    /// <summary>The values of <see cref="SysctlPlanner.Managed"/> (a key that could not be read is absent).</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary>What each <see cref="IKernelSubsystem"/> of a topic read, by its name.</summary>
    public IReadOnlyDictionary<string, object> Subsystems { get; init; } = new Dictionary<string, object>();

    public IReadOnlySet<string> LinkNames => Links.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
}
