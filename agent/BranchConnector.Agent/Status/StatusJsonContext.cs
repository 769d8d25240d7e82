using System.Text.Json.Serialization;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Status;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(Rfc3339Converter)])]
[JsonSerializable(typeof(StatusSnapshot))]
[JsonSerializable(typeof(StatusRequest))]
[JsonSerializable(typeof(StatusReply))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
