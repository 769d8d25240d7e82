using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(Rfc3339Converter)])]
[JsonSerializable(typeof(ConfirmPayload))]
[JsonSerializable(typeof(RegisterPayload))]
[JsonSerializable(typeof(StatePayload))]
[JsonSerializable(typeof(LastWillPayload))]
[JsonSerializable(typeof(ConfigRequestPayload))]
[JsonSerializable(typeof(KeepalivePayload))]
[JsonSerializable(typeof(TunnelStatusPayload))]
[JsonSerializable(typeof(InformPayload))]
[JsonSerializable(typeof(TimeRequestPayload))]
[JsonSerializable(typeof(Ha.HaStatePayload))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
