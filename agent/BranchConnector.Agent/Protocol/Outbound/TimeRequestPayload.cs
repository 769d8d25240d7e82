using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>`time/request`: t0 = this box's clock in unix milliseconds.</summary>
public sealed record TimeRequestPayload(long T0)
{
    [JsonPropertyOrder(-2)] public int V => 1;
}
