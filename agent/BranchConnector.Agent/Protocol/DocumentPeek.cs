using System.Text.Json;

namespace BranchConnector.Agent.Protocol;

/// <summary>
/// `sequence` and `config_hash` of a batch or peering document read without validating it, when it arrives:
/// enough to know that a newer document makes a waiting one pointless, and to name the waiting one in its
/// Confirm. Anything unreadable gives nulls (the full decoder reports it when the document's turn comes).
/// </summary>
public readonly record struct DocumentPeek(long? Sequence, string? ConfigHash)
{
    public static DocumentPeek Read(ReadOnlySpan<byte> payload)
    {
        long? sequence = null;
        string? hash = null;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSequence = reader.ValueTextEquals("sequence"u8);
                var isHash = reader.ValueTextEquals("config_hash"u8);
                if (!reader.Read()) return default;
                if (isSequence && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) && s >= 0) sequence = s;
                else if (isHash && reader.TokenType == JsonTokenType.String) hash = reader.GetString();
                else reader.Skip();
            }
        }
        catch (JsonException)
        {
            return default;
        }
        return new DocumentPeek(sequence, hash);
    }
}
