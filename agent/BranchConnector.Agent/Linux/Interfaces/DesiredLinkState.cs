using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>
/// What the agent wants on one existing link. Mtu null: leave it. SetUp false: leave the admin state as it
/// is (the agent never sets a link down); true: bring it up (the tunnel interfaces).
/// </summary>
public sealed record DesiredLinkState(string Name, EquatableList<string> Addresses, int? Mtu, bool SetUp)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }

    /// <summary>The `interface` topic names existing links and never changes their admin state.</summary>
    public static DesiredLinkState From(InterfaceSpec spec) => new(spec.Name, spec.Addresses, spec.Mtu, SetUp: false);
}
