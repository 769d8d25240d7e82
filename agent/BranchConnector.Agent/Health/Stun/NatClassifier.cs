using System.Globalization;
using System.Net;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// Turns the answers of one query into the Inform `stun` object (a pure function):
/// every answer equal to the local address and port → none; two or more answers all with the same public
/// address and port → endpoint-independent (the EIM behaviour of RFC 4787: same external IP and port for every
/// destination); answers that differ → endpoint-dependent; a request sent but nothing came back → udp_blocked,
/// unknown; a single answer that differs from the local address cannot tell the two NAT kinds apart → unknown.
/// </summary>
public static class NatClassifier
{
    public static StunResult Classify(StunQueryResult query, DateTimeOffset checkedAt)
    {
        ArgumentNullException.ThrowIfNull(query);
        var answered = query.Answers.Where(a => a.Answered).ToList();
        if (answered.Count == 0)
        {
            var anySent = query.Answers.Any(a => a.RequestSent);
            return new StunResult(query.Answers.FirstOrDefault()?.Server.ToString(), null, NatMapping.Unknown, anySent, checkedAt);
        }

        var first = answered[0];
        var mappings = answered.Select(a => Normalize(a.MappedAddress!)).ToList();
        string mapping;
        if (query.LocalEndPoint is not null && mappings.All(m => m.Equals(Normalize(query.LocalEndPoint))))
            mapping = NatMapping.None;
        else if (answered.Count < 2)
            mapping = NatMapping.Unknown;
        else if (mappings.All(m => m.Equals(mappings[0])))
            mapping = NatMapping.EndpointIndependent;
        else
            mapping = NatMapping.EndpointDependent;

        return new StunResult(first.Server.ToString(), FormatEndpoint(first.MappedAddress!), mapping, false, checkedAt);
    }

    /// <summary>"ip:port", "[ipv6]:port".</summary>
    public static string FormatEndpoint(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var e = Normalize(endpoint);
        var port = e.Port.ToString(CultureInfo.InvariantCulture);
        return e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{e.Address}]:{port}" : $"{e.Address}:{port}";
    }

    /// <summary>A dual-mode socket reports IPv4 peers as ::ffff:a.b.c.d; compare them as plain IPv4.</summary>
    internal static IPEndPoint Normalize(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;
}
