using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>`config/request` on every (re)connect: what this box has applied (null: nothing yet).</summary>
public sealed record ConfigRequestPayload(string Serial, long? HaveSequence, string? HaveConfigHash, long? HavePeeringSequence)
{
    [JsonPropertyOrder(-2)] public int V => 1;
}
