using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>`register` (retained): who this box is and its public keys by interface (`wg0`, `wg2`).</summary>
public sealed record RegisterPayload(
    string Serial,
    string Hostname,
    string AgentVersion,
    IReadOnlyDictionary<string, string> PublicKeys,
    IReadOnlyList<string> LanSubnets,
    DateTimeOffset SentAt)
{
    [JsonPropertyOrder(-2)] public int V => 1;
}
