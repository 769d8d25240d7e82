using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>`state` (retained): the lifecycle state, on every change.</summary>
public sealed record StatePayload(string Serial, string State, bool Online, DateTimeOffset Since, DateTimeOffset SentAt)
{
    [JsonPropertyOrder(-2)] public int V => 1;
}

/// <summary>The MQTT last will on `state`: `{ "v":1, "serial", "online": false }`.</summary>
public sealed record LastWillPayload(string Serial)
{
    [JsonPropertyOrder(-2)] public int V => 1;
    public bool Online => false;
}
