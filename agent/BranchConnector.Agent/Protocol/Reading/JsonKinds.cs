using System.Text.Json;

namespace BranchConnector.Agent.Protocol.Reading;

internal static class JsonKinds
{
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>
    /// True for a number written without fraction or exponent. Bodies may hold integers only, so `1.0` and
    /// `1e3` are refused even though they are whole: the hub's canonical form never writes them.
    /// </summary>
    public static bool IsIntegerLiteral(JsonElement number)
    {
        var raw = number.GetRawText();
        return raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
    }
}
