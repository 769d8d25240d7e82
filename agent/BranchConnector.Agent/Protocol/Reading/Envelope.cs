using System.Text.Json;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>What every sequenced document (batch, peering) carries around its payload array.</summary>
internal sealed record Envelope(long? Sequence, string? ConfigHash, DateTimeOffset? IssuedAt);

/// <summary>
/// The checks a batch and a peering document share: the 1 MiB limit (before parsing), JSON object,
/// `v`, `sequence`, `issued_at`, and `config_hash` = SHA-256 of the JCS form of the payload array.
/// </summary>
internal static class EnvelopeReader
{
    public const int MaxPayloadBytes = 1024 * 1024;
    public const int ProtocolVersion = 1;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The parsed document, or null with the one `too_large` or `malformed` error.</summary>
    public static JsonDocument? Parse(ReadOnlySpan<byte> payload, ErrorCollector errors)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            errors.Add(ErrorCodes.TooLarge, "", $"message is {payload.Length} bytes; the limit is {MaxPayloadBytes} (1 MiB)");
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload.ToArray(), Options);
        }
        catch (JsonException e)
        {
            errors.Add(ErrorCodes.Malformed, "", $"not valid JSON: {FirstLine(e.Message)}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-member check reads every member name and throws this on a lone surrogate escape.
            errors.Add(ErrorCodes.Malformed, "", StringCheck.Problem);
            return null;
        }
        if (StringCheck.FirstInvalid(document.RootElement, "") is { } bad)
        {
            errors.Add(ErrorCodes.Malformed, bad, StringCheck.Problem);
            document.Dispose();
            return null;
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
        errors.Add(ErrorCodes.Malformed, "", $"the message must be a JSON object, not {JsonKinds.Describe(document.RootElement)}");
        document.Dispose();
        return null;
    }

    public static void CheckVersion(ObjectReader root)
    {
        var version = root.Integer("v", true, long.MinValue, long.MaxValue);
        if (version is not null and not ProtocolVersion)
            root.Errors.Invalid("v", $"protocol version {version} is not supported (this agent speaks v{ProtocolVersion})");
    }

    public static Envelope Read(ObjectReader root, string arrayKey)
    {
        CheckVersion(root);
        var sequence = root.Integer("sequence", true, 0, long.MaxValue);
        var issuedAt = IssuedAt(root);
        var hash = root.String("config_hash", required: true);
        if (hash is not null && !ConfigHash.IsWellFormed(hash))
            root.Errors.Add(ErrorCodes.HashMismatch, "config_hash", "config_hash must be 64 lowercase hex characters (SHA-256)");
        else if (hash is not null && root.Element.TryGetProperty(arrayKey, out var array) && array.ValueKind != JsonValueKind.Null)
        {
            var actual = TryHash(array);
            if (actual is null)
                root.Errors.Invalid(arrayKey, "cannot be canonicalized (RFC 8785): a number out of range or a lone surrogate");
            else if (!string.Equals(actual, hash, StringComparison.Ordinal))
                root.Errors.Add(ErrorCodes.HashMismatch, "config_hash", $"config_hash does not match the SHA-256 of the canonical (RFC 8785) {arrayKey}: computed {actual}");
        }
        return new Envelope(sequence, hash, issuedAt);
    }

    public static DateTimeOffset? IssuedAt(ObjectReader root)
    {
        var text = root.String("issued_at");
        if (text is null) return null;
        if (Rfc3339.TryParse(text, out var value)) return value;
        root.Errors.Invalid("issued_at", $"'{Printable.Clip(text)}' is not an RFC 3339 timestamp");
        return null;
    }

    private static string? TryHash(JsonElement array)
    {
        try
        {
            return ConfigHash.Compute(array);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
