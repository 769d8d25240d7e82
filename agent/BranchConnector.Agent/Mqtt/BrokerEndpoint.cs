namespace BranchConnector.Agent.Mqtt;

/// <summary>A broker URL split into host, port and TLS.</summary>
public sealed record BrokerEndpoint(Uri Url, string Host, int Port, bool Tls)
{
    public static BrokerEndpoint Parse(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri) throw new ArgumentException($"broker URL '{url}' is not absolute", nameof(url));
        var tls = url.Scheme switch
        {
            "mqtts" => true,
            "mqtt" => false,
            _ => throw new ArgumentException($"broker URL '{url}' must start with mqtt:// or mqtts://", nameof(url)),
        };
        if (string.IsNullOrEmpty(url.Host)) throw new ArgumentException($"broker URL '{url}' has no host", nameof(url));
        // System.Uri knows no default port for mqtt schemes: -1 means "not given".
        var port = url.Port > 0 ? url.Port : tls ? 8883 : 1883;
        // IPv6 literals come bracketed from Uri.Host; DNS end points and TLS host names want them bare.
        var host = url.HostNameType == UriHostNameType.IPv6 ? url.Host.Trim('[', ']') : url.Host;
        return new BrokerEndpoint(url, host, port, tls);
    }
}
