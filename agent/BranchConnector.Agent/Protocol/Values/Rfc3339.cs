using System.Globalization;
using System.Text.RegularExpressions;

namespace BranchConnector.Agent.Protocol.Values;

/// <summary>RFC 3339 timestamps: written UTC with milliseconds (`2026-11-22T10:00:00.123Z`), read with any offset and precision.</summary>
public static partial class Rfc3339
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Shape();

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        if (!Shape().IsMatch(text)) return false;
        if (!DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        value = parsed.ToUniversalTime();
        return true;
    }
}
