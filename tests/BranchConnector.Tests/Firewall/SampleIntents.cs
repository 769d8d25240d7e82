using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;

namespace BranchConnector.Tests.Firewall;

/// <summary>The intents the golden files are rendered from.</summary>
internal static class SampleIntents
{
    public static readonly TunnelInterface Wg0 = new("wg0", 1420);
    public static readonly TunnelInterface Wg2 = new("wg2", 1380);

    public static AclRule Acl(string name, AclChain chain, AclAction action, string? iif = null, string? oif = null,
        string? src = null, string? dst = null, string? proto = null, string? dports = null, string? sports = null) =>
        new(name, chain, action, iif, oif, src, dst, proto, dports, sports);

    public static readonly FirewallIntent Empty = FirewallIntent.Empty;

    public static readonly FirewallIntent AclOnly = new([], new AclSpec(AclAction.Accept, AclAction.Accept,
    [
        Acl("ssh-from-hub", AclChain.Forward, AclAction.Accept, "wg0", "lan0", "10.0.0.0/8", "192.168.10.0/24", "tcp", "22,80,1000:2000"),
        Acl("dns", AclChain.Input, AclAction.Accept, "wg0", null, null, null, "udp", "53", "1024:65535"),
        Acl("ping", AclChain.Input, AclAction.Accept, "wg0", null, null, null, "icmp"),
    ]), [Wg0]);

    public static readonly FirewallIntent NatOnly = new(
    [
        new NatRule(NatType.Masquerade, "192.168.10.0/24", null, null, "eth0", null, null, null, null),
        new NatRule(NatType.Snat, "192.168.10.0/24", null, null, "wg0", null, null, "10.255.0.2", null),
        new NatRule(NatType.Dnat, null, null, "wg0", null, "tcp", 8080, null, new Endpoint("192.168.10.5", 80)),
    ], AclSpec.Empty, []);

    public static readonly FirewallIntent Mixed = new(NatOnly.Nat, new AclSpec(AclAction.Accept, AclAction.Accept,
    [
        Acl("web", AclChain.Forward, AclAction.Accept, "wg0", null, null, "192.168.10.5/32", "tcp", "80"),
        Acl("telnet", AclChain.Forward, AclAction.Reject, null, null, null, null, "tcp", "23"),
        Acl("block-host", AclChain.Forward, AclAction.Drop, null, null, "10.1.2.3/32"),
    ]), [Wg0]);

    public static readonly FirewallIntent V6Acl = new([], new AclSpec(AclAction.Accept, AclAction.Accept,
    [
        Acl("v6-web", AclChain.Forward, AclAction.Accept, "wg0", null, "2001:db8::/32", "2001:db8:1::5/128", "tcp", "443"),
        Acl("v6-ping", AclChain.Input, AclAction.Accept, "wg0", null, null, null, "icmpv6"),
        Acl("v4-only", AclChain.Forward, AclAction.Accept, null, null, "10.0.0.0/8"),
    ]), [Wg0]);

    public static readonly FirewallIntent DropPolicies = new([], new AclSpec(AclAction.Drop, AclAction.Reject,
    [
        Acl("ssh-from-hub", AclChain.Input, AclAction.Accept, "wg0", null, "10.0.0.0/8", null, "tcp", "22"),
        Acl("lan-to-hub", AclChain.Forward, AclAction.Accept, "lan0", "wg0", "192.168.10.0/24"),
    ]), [Wg0]);

    public static readonly FirewallIntent TwoTunnels = new([], new AclSpec(AclAction.Drop, AclAction.Accept,
    [
        Acl("lan-out", AclChain.Forward, AclAction.Accept, "lan0", null, "192.168.10.0/24"),
    ]), [Wg0, Wg2]);

    /// <summary>A dual-stack full tunnel on wg0 with an accept-all acl: the connmark chains in both families.</summary>
    public static readonly FirewallIntent FullTunnelDualStack = new([], AclSpec.Empty, [Wg0])
    {
        TunnelMark = new TunnelMark(51820, [BranchConnector.Agent.Linux.IpFamily.V4, BranchConnector.Agent.Linux.IpFamily.V6]),
    };

    public static IEnumerable<(string Name, FirewallIntent Intent)> All() =>
    [
        ("empty", Empty), ("acl-only", AclOnly), ("nat-only", NatOnly), ("mixed", Mixed),
        ("v6-acl", V6Acl), ("drop-policies", DropPolicies), ("two-tunnels", TwoTunnels),
        ("full-tunnel-dual-stack", FullTunnelDualStack),
    ];
}
