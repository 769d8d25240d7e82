using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

public sealed record KeepalivePayload(string Serial, string State, DateTimeOffset SentAt, long UptimeS, long? ConfigSequence)
{
    [JsonPropertyOrder(-2)] public int V => 1;
}
