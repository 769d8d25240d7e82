using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>MTU 576..9000 (the IPv4 minimum datagram up to jumbo frames); from 1280 once the link carries IPv6 (RFC 8200).</summary>
internal static class MtuRange
{
    public const int Ipv4Min = 576;
    public const int Ipv6Min = 1280;
    public const int Max = 9000;

    public static int? Read(ObjectReader reader, IEnumerable<Cidr> addresses) =>
        reader.Int("mtu", false, addresses.Any(a => !a.IsIPv4) ? Ipv6Min : Ipv4Min, Max);
}
