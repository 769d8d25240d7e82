using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BranchConnector.Agent.Metrics;

/// <summary>
/// Where `/metrics` is served (agent.yaml `metrics.listen`). Only an address written out in full is accepted:
/// an IPv4 address as four decimal octets or an IPv6 address in brackets, then ":port". Host names (even
/// "localhost"), wildcards ("0.0.0.0", "[::]", "*", ":9188") and abbreviated IPv4 forms ("127.1") are refused,
/// so the socket always binds exactly the one address the operator read in the file. A loopback address is the
/// normal case; any other is allowed because it was written out, and is logged as reachable from the network.
/// </summary>
public sealed record MetricsEndpoint(IPAddress Address, int Port)
{
    public const string Path = "/metrics";

    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>"127.0.0.1:9188" / "[::1]:9188".</summary>
    public override string ToString() =>
        Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string Url => $"http://{this}{Path}";

    /// <summary>Null endpoint and null problem for "" (off); otherwise exactly one of the two.</summary>
    public static (MetricsEndpoint? Endpoint, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        text = text.Trim();
        var colon = text.LastIndexOf(':');
        if (colon < 0) return (null, $"'{text}' must be ADDRESS:PORT, e.g. 127.0.0.1:9188");
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            return (null, $"'{text}': the port must be a number from 1 to 65535");
        if (host.Length == 0 || host is "*" or "+")
            return (null, $"'{text}': refusing to serve metrics on every address; write the one address out, e.g. 127.0.0.1:{port}");

        IPAddress? address;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            var inner = host[1..^1];
            if (inner.Contains('%', StringComparison.Ordinal))
                return (null, $"'{text}': an IPv6 scope (%…) is not supported; use a global or loopback address");
            if (!IPAddress.TryParse(inner, out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
                return (null, $"'{text}': '{inner}' is not an IPv6 address");
        }
        else if (!IsDottedQuad(host, out address))
        {
            return (null, host.Contains(':', StringComparison.Ordinal)
                ? $"'{text}': write an IPv6 address in brackets, e.g. [::1]:{port}"
                : $"'{text}': '{host}' is not an IPv4 address written out in full (four decimal numbers); host names are not accepted, use 127.0.0.1:{port}");
        }

        if (address!.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return (null, $"'{text}': refusing to serve metrics on every address; write the one address out, e.g. 127.0.0.1:{port}");
        if (IsMulticastOrBroadcast(address))
            return (null, $"'{text}': {address} is a multicast, reserved or broadcast address");
        return (new MetricsEndpoint(address, port), null);
    }

    /// <summary>Exactly "a.b.c.d" with decimal octets 0-255 and no leading zeros (IPAddress.TryParse also takes "127.1" and hex).</summary>
    private static bool IsDottedQuad(string host, out IPAddress? address)
    {
        address = null;
        var parts = host.Split('.');
        if (parts.Length != 4) return false;
        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0')) return false;
            if (int.Parse(part, CultureInfo.InvariantCulture) > 255) return false;
        }
        address = IPAddress.Parse(host);
        return true;
    }

    private static bool IsMulticastOrBroadcast(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6) return address.IsIPv6Multicast;
        var first = address.GetAddressBytes()[0];
        return first is >= 224 || address.Equals(IPAddress.Broadcast);
    }
}
