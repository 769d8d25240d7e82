using System.Globalization;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Protocol.Values;

/// <summary>
/// "host:port" or "[v6]:port". The host is a literal address or, where names are allowed, an RFC 1123
/// hostname (labels of letters, digits and '-', not starting or ending with '-', at most 253 characters,
/// last label not all digits so a mistyped IPv4 address is not taken for a name). Names are lowercased.
/// </summary>
public static class HostPort
{
    /// <summary>The host part of "host:port" or "[v6]:port" text (no validation: for text the agent itself produced).</summary>
    public static string HostOf(string hostPort)
    {
        if (hostPort.StartsWith('[')) return hostPort[1..hostPort.IndexOf(']', StringComparison.Ordinal)];
        var colon = hostPort.LastIndexOf(':');
        return colon < 0 ? hostPort : hostPort[..colon];
    }

    public static string? TryParse(string text, bool allowHostname, FamilyRule family, out Endpoint endpoint)
    {
        endpoint = new Endpoint("", 0);
        var shown = Reading.Printable.Clip(text);
        string host, portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':') return $"'{shown}' is not [address]:port";
            host = text[1..close];
            portText = text[(close + 2)..];
            if (!IpText.TryParse(host, out var v6) || v6.IsIPv4()) return $"'{shown}' does not hold an IPv6 address in brackets";
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0) return $"'{shown}' is not host:port";
            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal)) return $"'{shown}': an IPv6 address needs brackets ([address]:port)";
        }
        if (portText.Length is 0 or > 5 || portText.Any(c => c is < '0' or > '9') || (portText.Length > 1 && portText[0] == '0'))
            return $"'{shown}' has no valid port";
        var port = int.Parse(portText, CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535) return $"'{shown}': port must be from 1 to 65535";

        if (IpText.TryParse(host, out var address))
        {
            if (family == FamilyRule.IPv4 && !address.IsIPv4()) return $"'{shown}' must be an IPv4 address";
            endpoint = new Endpoint(address.ToString(), port);
            return null;
        }
        if (!allowHostname) return $"'{shown}' must hold a literal IP address";
        var hostProblem = HostnameProblem(host);
        if (hostProblem is not null) return $"'{shown}': {hostProblem}";
        endpoint = new Endpoint(host.ToLowerInvariant(), port);
        return null;
    }

    public static string? HostnameProblem(string host)
    {
        var name = host.EndsWith('.') ? host[..^1] : host;
        if (name.Length is 0 or > 253) return "hostname must be 1 to 253 characters";
        var labels = name.Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63) return "hostname labels must be 1 to 63 characters";
            if (label[0] == '-' || label[^1] == '-') return "hostname labels must not start or end with '-'";
            if (!label.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-'))
                return "hostname may hold only letters, digits, '-' and '.'";
        }
        if (labels[^1].All(char.IsAsciiDigit)) return "not a valid IPv4 address or hostname";
        return null;
    }
}
