using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>An agent-managed tunnel interface (backbone wg0, peering wg2): acl policies and MSS clamping apply to it.</summary>
public sealed record TunnelInterface(string Name, int Mtu);

/// <summary>Everything the firewall subsystem renders: the validated nat44 and acl topics plus the tunnels they guard.</summary>
public sealed record FirewallIntent(EquatableList<NatRule> Nat, AclSpec Acl, EquatableList<TunnelInterface> Tunnels)
{
    public static readonly FirewallIntent Empty = new([], AclSpec.Empty, []);

    /// <summary>The batch's nat44 and acl topics guarding the given agent-managed tunnels (backbone, peering).</summary>
    public static FirewallIntent From(DesiredConfig config, IEnumerable<TunnelInterface> tunnels) =>
        new(config.Nat, config.Acl, tunnels.ToEquatableList());
}
