using System.Globalization;
using System.Net;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// Builds rule text in the exact normalized form iptables-save prints back (option order -s -d -i -o -p, then
/// matches, then the target), so an unchanged rule compares equal and produces no command.
/// </summary>
internal sealed class RuleText
{
    private readonly List<string> _parts = [];
    private readonly string _chain;

    public RuleText(OwnChain chain) => _chain = chain.Name;

    public RuleText Source(string? cidr) => Option("-s", cidr is null ? null : Cidr(cidr));
    public RuleText Destination(string? cidr) => Option("-d", cidr is null ? null : Cidr(cidr));
    public RuleText In(string? iface) => Option("-i", iface);
    public RuleText Out(string? iface) => Option("-o", iface);
    public RuleText Protocol(string? protocol) => Option("-p", protocol);
    public RuleText Match(string text) { _parts.Add(text); return this; }
    public string Jump(string target) => $"-A {_chain} {string.Join(' ', _parts.Append("-j " + target))}";

    private RuleText Option(string flag, string? value)
    {
        if (value is not null) _parts.Add($"{flag} {value}");
        return this;
    }

    /// <summary>Address with an explicit prefix, as iptables-save prints it ("10.1.2.3/32", "2001:db8::/32").</summary>
    public static string Cidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(slash < 0 ? cidr : cidr[..slash]);
        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = slash < 0 ? bits : int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        return $"{address}/{prefix.ToString(CultureInfo.InvariantCulture)}";
    }

    public static IpFamily? FamilyOf(string? cidr) => cidr is null ? null : cidr.Contains(':', StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4;

    /// <summary>
    /// Protocol as iptables-save names it: numbers and aliases become the /etc/protocols name, "all" means no -p.
    /// </summary>
    public static string? NormalizeProtocol(string? protocol)
    {
        if (protocol is null) return null;
        var p = protocol.Trim().ToLowerInvariant();
        return p switch
        {
            "" or "all" or "0" => null,
            "1" => "icmp",
            "6" => "tcp",
            "17" => "udp",
            "47" => "gre",
            "50" => "esp",
            "51" => "ah",
            "58" or "icmpv6" or "icmp6" => "ipv6-icmp",
            "132" => "sctp",
            _ => p,
        };
    }

    /// <summary>The family a protocol restricts a rule to (icmp is IPv4's, ipv6-icmp IPv6's), or null for both.</summary>
    public static IpFamily? FamilyOfProtocol(string? normalizedProtocol) => normalizedProtocol switch
    {
        "icmp" => IpFamily.V4,
        "ipv6-icmp" => IpFamily.V6,
        _ => null,
    };
}
