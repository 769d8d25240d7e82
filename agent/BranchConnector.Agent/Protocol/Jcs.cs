using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BranchConnector.Agent.Protocol;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: object members sorted by the UTF-16 code units of their names,
/// no insignificant whitespace, strings with the minimal escapes of ECMAScript JSON.stringify, numbers as
/// ECMAScript Number.prototype.toString prints the IEEE 754 double.
/// </summary>
public static class Jcs
{
    public static byte[] Canonicalize(JsonElement value) => Encoding.UTF8.GetBytes(CanonicalText(value));

    public static string CanonicalText(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(value, builder);
        return builder.ToString();
    }

    private static void Write(JsonElement value, StringBuilder output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                output.Append('{');
                var members = value.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0) output.Append(',');
                    WriteString(members[i].Name, output);
                    output.Append(':');
                    Write(members[i].Value, output);
                }
                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var first = true;
                foreach (var element in value.EnumerateArray())
                {
                    if (!first) output.Append(',');
                    first = false;
                    Write(element, output);
                }
                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, output);
                break;
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw new FormatException("a number is outside the IEEE 754 double range");
                output.Append(EcmaScriptNumber.Format(number));
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Null:
                output.Append("null");
                break;
            default:
                throw new FormatException($"cannot canonicalize a {value.ValueKind}");
        }
    }

    private static void WriteString(string text, StringBuilder output)
    {
        output.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) || char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
                throw new FormatException("a string holds a lone surrogate, which is not valid I-JSON");
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20) output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else output.Append(c);
                    break;
            }
        }
        output.Append('"');
    }
}

/// <summary>`config_hash`: lowercase hex SHA-256 of the JCS form of the `commands` (or `groups`) array.</summary>
public static class ConfigHash
{
    public static string Compute(JsonElement commands) => Convert.ToHexStringLower(SHA256.HashData(Jcs.Canonicalize(commands)));

    /// <summary>64 lowercase hex characters.</summary>
    public static bool IsWellFormed(string? hash) => hash is { Length: 64 } && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
