using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;

namespace BranchConnector.IntegrationTests.Firewall;

internal static class Intents
{
    public static AclRule Acl(string name, AclChain chain, AclAction action, string? iif = null, string? oif = null,
        string? src = null, string? dst = null, string? proto = null, string? dports = null, string? sports = null) =>
        new(name, chain, action, iif, oif, src, dst, proto, dports, sports);

    public static NatRule Masquerade(string source, string oif) => new(NatType.Masquerade, source, null, null, oif, null, null, null, null);
    public static NatRule Snat(string source, string oif, string to) => new(NatType.Snat, source, null, null, oif, null, null, to, null);
    public static NatRule Dnat(string iif, int port, string host, int toPort) => new(NatType.Dnat, null, null, iif, null, "tcp", port, null, new Endpoint(host, toPort));

    /// <summary>Every kind of rule the renderer writes, for both families, across two tunnels.</summary>
    public static FirewallIntent Everything(string wg0 = "wg0", string wg2 = "wg2") => new(
        [Masquerade("192.168.10.0/24", "eth0"), Snat("192.168.10.0/24", wg0, "10.255.0.2"), Dnat(wg0, 8080, "192.168.10.5", 80),
         new NatRule(NatType.Dnat, "10.0.0.0/8", "10.255.0.2/32", wg0, null, "udp", 53, "192.168.10.53", null)],
        new AclSpec(AclAction.Drop, AclAction.Reject,
        [
            Acl("ssh-from-hub", AclChain.Forward, AclAction.Accept, wg0, "lan0", "10.0.0.0/8", "192.168.10.0/24", "tcp", "22,80,1000:2000"),
            Acl("dns", AclChain.Input, AclAction.Accept, wg0, null, null, null, "udp", "53", "1024:65535"),
            Acl("ping", AclChain.Input, AclAction.Accept, null, null, null, null, "icmp"),
            Acl("ping6", AclChain.Input, AclAction.Accept, null, null, null, null, "icmpv6"),
            Acl("v6-web", AclChain.Forward, AclAction.Accept, wg2, null, "2001:db8::/32", "2001:db8:1::5/128", "tcp", "443"),
            Acl("telnet", AclChain.Forward, AclAction.Reject, null, null, null, null, "tcp", "23"),
            Acl("no-smb", AclChain.Forward, AclAction.Reject, null, null, "10.9.0.0/16"),
            Acl("gre", AclChain.Forward, AclAction.Accept, null, null, null, null, "47"),
            Acl("block-host", AclChain.Forward, AclAction.Drop, null, null, "10.1.2.3/32"),
        ]),
        [new TunnelInterface(wg0, 1420), new TunnelInterface(wg2, 1380)]);

    public static FirewallIntent NatOnly => new([Masquerade("192.168.10.0/24", "eth0")], AclSpec.Empty, []);

    public static FirewallIntent AcceptOnlyV4 => new([], new AclSpec(AclAction.Accept, AclAction.Accept,
        [Acl("ssh", AclChain.Input, AclAction.Accept, "wg0", null, "10.0.0.0/8", null, "tcp", "22")]), [new TunnelInterface("wg0", 1420)]);
}
