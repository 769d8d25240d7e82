using System.Text.Json;
using System.Text.Json.Serialization;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>Timestamps on the wire: RFC 3339, UTC, milliseconds (`2026-11-22T10:00:00.123Z`).</summary>
public sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Rfc3339.TryParse(reader.GetString()!, out var value)
            ? value
            : throw new JsonException("expected an RFC 3339 timestamp");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Rfc3339.Format(value));
}
