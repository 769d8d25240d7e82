using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Ha;

/// <summary>HaState as JSON (source-generated; the protocol's options: snake_case, RFC 3339 with milliseconds).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(Protocol.Outbound.Rfc3339Converter)])]
[JsonSerializable(typeof(HaStatePayload))]
internal sealed partial class HaJsonContext : JsonSerializerContext;
