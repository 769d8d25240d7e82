using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>An agent-managed tunnel interface (backbone wg0, peering wg2): acl policies and MSS clamping apply to it.</summary>
public sealed record TunnelInterface(string Name, int Mtu);

/// <summary>Everything the firewall subsystem renders: the validated nat44 and acl topics plus the tunnels they guard.</summary>
public sealed record FirewallIntent(EquatableList<NatRule> Nat, AclSpec Acl, EquatableList<TunnelInterface> Tunnels)
{
    /// <summary>Full tunnel: the fwmark saved to and restored from conntrack, per family (null: no full tunnel).</summary>
    public TunnelMark? TunnelMark { get; init; }

    public static readonly FirewallIntent Empty = new([], AclSpec.Empty, []);

    /// <summary>The batch's nat44 and acl topics guarding the given agent-managed tunnels (backbone, peering).</summary>
    public static FirewallIntent From(DesiredConfig config, IEnumerable<TunnelInterface> tunnels) =>
        new(config.Nat, config.Acl, tunnels.ToEquatableList());
}

/// <summary>The full tunnel's fwmark and the families whose default route goes through it.</summary>
public sealed record TunnelMark(uint Fwmark, EquatableList<Linux.IpFamily> Families);
