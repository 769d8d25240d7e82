using System.Text.Json;

namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>
/// JsonDocument.Parse accepts strings whose bytes are not UTF-8, and escapes that are lone surrogates
/// ("\ud800"); reading such a string later throws InvalidOperationException deep inside a topic reader
/// (found by fuzzing). Every string and member name is read once up front, so such a document is one
/// `malformed` error with the JSON path of the bad text instead.
/// </summary>
internal static class StringCheck
{
    public const string Problem = "not valid JSON: the text is not valid UTF-8 (or escapes a lone UTF-16 surrogate)";

    /// <summary>The JSON path of the first string or member name that is not valid Unicode text, or null.</summary>
    public static string? FirstInvalid(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element.GetString) ? null : path;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    string? name = null;
                    if (!Readable(() => name = member.Name)) return path.Length == 0 ? "(a member name)" : path + ".(a member name)";
                    if (FirstInvalid(member.Value, JsonPaths.Child(path, Printable.Clip(name!))) is { } bad) return bad;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (FirstInvalid(item, JsonPaths.Element(path, i++)) is { } bad) return bad;
                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
