using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>An agent-managed tunnel interface (backbone wg0, peering wg2): acl policies and MSS clamping apply to it.</summary>
public sealed record TunnelInterface(string Name, int Mtu)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }
}

/// <summary>Everything the firewall subsystem renders: the validated nat44 and acl topics plus the tunnels they guard.</summary>
public sealed record FirewallIntent(EquatableList<NatRule> Nat, AclSpec Acl, EquatableList<TunnelInterface> Tunnels)
{
    /// <summary>Full tunnel: the fwmark saved to and restored from conntrack, per family (null: no full tunnel).</summary>
    public TunnelMark? TunnelMark { get; init; }

    /// <summary>Which document parts the nat, filter and connmark chains come from (MSS rules: their tunnel's).</summary>
    public FirewallOrigins Origins { get; init; } = FirewallOrigins.None;

    public static readonly FirewallIntent Empty = new([], AclSpec.Empty, []);

    /// <summary>The batch's nat44 and acl topics guarding the given agent-managed tunnels (backbone, peering).</summary>
    public static FirewallIntent From(DesiredConfig config, IEnumerable<TunnelInterface> tunnels) =>
        new(config.Nat, config.Acl, tunnels.ToEquatableList());
}

/// <summary>The full tunnel's fwmark and the families whose default route goes through it.</summary>
public sealed record TunnelMark(uint Fwmark, EquatableList<Linux.IpFamily> Families);

/// <summary>The origin of each own chain's rules: the nat44 topic, the acl topic, the full tunnel (wireguard topic).</summary>
public sealed record FirewallOrigins(Origin? Nat, Origin? Acl, Origin? Connmark)
{
    public static readonly FirewallOrigins None = new(null, null, null);

    /// <summary>The chain's origin; BC-MSS has one per rule (its tunnel's), this is the one for the chain as a whole.</summary>
    public Origin? For(OwnChain chain) => chain.Table switch
    {
        "nat" => Nat,
        "filter" => Acl,
        _ => Connmark,
    };
}
