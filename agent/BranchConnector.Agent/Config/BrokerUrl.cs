namespace BranchConnector.Agent.Config;

/// <summary>Validates one broker URL of agent.yaml and normalises it to scheme, host and an explicit port.</summary>
internal static class BrokerUrl
{
    public const int MqttPort = 1883;
    public const int MqttsPort = 8883;

    /// <summary>The normalised URL, or the problem (one phrase, quoting the value) when it is not acceptable.</summary>
    public static (Uri? Url, string? Problem) Parse(string text)
    {
        var notMqtt = $"'{text}' is not an mqtt:// or mqtts:// URL";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return (null, notMqtt);
        if (uri.Scheme is not ("mqtt" or "mqtts") || !text.Contains("://", StringComparison.Ordinal)) return (null, notMqtt);
        if (uri.Host.Length == 0) return (null, $"'{text}' has no host");
        if (uri.UserInfo.Length != 0 || uri.AbsolutePath is not ("" or "/") || uri.Query.Length != 0 || uri.Fragment.Length != 0)
            return (null, $"'{text}' must hold only scheme, host and port (no user, path or query)");
        if (uri.Port == 0) return (null, $"'{text}' has port 0; use 1 to 65535");

        var port = uri.Port > 0 ? uri.Port : uri.Scheme == "mqtts" ? MqttsPort : MqttPort;
        return (new Uri($"{uri.Scheme}://{uri.Host}:{port}"), null);
    }

    public static bool IsTls(Uri url) => url.Scheme == "mqtts";
}
