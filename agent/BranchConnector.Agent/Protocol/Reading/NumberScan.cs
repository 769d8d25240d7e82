using System.Text.Json;

namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>Reports every non-integer number anywhere under a value, each at its own path.</summary>
internal static class NumberScan
{
    public static void ReportNonIntegers(JsonElement value, string path, ErrorCollector errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when !JsonKinds.IsIntegerLiteral(value) || !value.TryGetInt64(out _):
                errors.Invalid(path, $"must be an integer (documents hold integers only), not {Printable.Clip(value.GetRawText())}");
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject()) ReportNonIntegers(property.Value, JsonPaths.Child(path, property.Name), errors);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var element in value.EnumerateArray()) ReportNonIntegers(element, JsonPaths.Element(path, i++), errors);
                break;
        }
    }
}
