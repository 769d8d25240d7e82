using System.Globalization;
using System.Text.Json;

namespace BranchConnector.Agent.Protocol.Reading;

/// <summary>
/// Typed access to one JSON object of an inbound document. Every accessor reports a missing required key or
/// a wrong type as `invalid_field` at the key's path and returns null, so a topic validator reads all its
/// fields and ends up with every problem at once. JSON null counts as absent: optional keys may be null.
/// Unknown keys are never looked at (forward compatible).
/// </summary>
internal readonly struct ObjectReader
{
    private ObjectReader(JsonElement element, string path, ErrorCollector errors)
    {
        Element = element;
        Path = path;
        Errors = errors;
    }

    public JsonElement Element { get; }
    public string Path { get; }
    public ErrorCollector Errors { get; }

    /// <summary>Reads <paramref name="element"/> as an object, or reports that it is not one.</summary>
    public static ObjectReader? From(JsonElement element, string path, ErrorCollector errors)
    {
        if (element.ValueKind == JsonValueKind.Object) return new ObjectReader(element, path, errors);
        errors.Invalid(path, $"must be an object, not {JsonKinds.Describe(element)}");
        return null;
    }

    public string PathOf(string key) => JsonPaths.Child(Path, key);

    public bool Has(string key) => Element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;

    private bool TryGet(string key, bool required, out JsonElement value)
    {
        if (Element.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required) Errors.Invalid(PathOf(key), "missing required key");
        return false;
    }

    public string? String(string key, bool required = false)
    {
        if (!TryGet(key, required, out var value)) return null;
        return StringValue(value, PathOf(key), Errors);
    }

    /// <summary>A string with a value from <paramref name="allowed"/>.</summary>
    public string? Choice(string key, bool required, params string[] allowed)
    {
        var text = String(key, required);
        if (text is null || allowed.Contains(text, StringComparer.Ordinal)) return text;
        Errors.Invalid(PathOf(key), $"must be one of {string.Join(" | ", allowed)}, not '{Printable.Clip(text)}'");
        return null;
    }

    public bool? Bool(string key, bool required = false)
    {
        if (!TryGet(key, required, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Errors.Invalid(PathOf(key), $"must be a boolean, not {JsonKinds.Describe(value)}");
        return null;
    }

    public long? Integer(string key, bool required, long min, long max)
    {
        if (!TryGet(key, required, out var value)) return null;
        return IntegerValue(value, PathOf(key), Errors, min, max);
    }

    public int? Int(string key, bool required, int min, int max) => (int?)Integer(key, required, min, max);

    public ObjectReader? Object(string key, bool required = false) =>
        TryGet(key, required, out var value) ? From(value, PathOf(key), Errors) : null;

    /// <summary>The elements of an array (absent optional array: empty), each with its path.</summary>
    public IReadOnlyList<(JsonElement Element, string Path)> Array(string key, bool required = false)
    {
        if (!TryGet(key, required, out var value)) return [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            Errors.Invalid(PathOf(key), $"must be an array, not {JsonKinds.Describe(value)}");
            return [];
        }
        var path = PathOf(key);
        return value.EnumerateArray().Select((element, i) => (element, JsonPaths.Element(path, i))).ToList();
    }

    /// <summary>The object elements of an array; a non-object element is reported and skipped.</summary>
    public IReadOnlyList<ObjectReader> Objects(string key, bool required = false)
    {
        var errors = Errors;
        return Array(key, required)
            .Select(e => From(e.Element, e.Path, errors))
            .Where(o => o.HasValue)
            .Select(o => o!.Value)
            .ToList();
    }

    /// <summary>The string elements of an array; a non-string element is reported and skipped.</summary>
    public IReadOnlyList<(string Value, string Path)> Strings(string key, bool required = false)
    {
        var result = new List<(string, string)>();
        foreach (var (element, path) in Array(key, required))
        {
            var text = StringValue(element, path, Errors);
            if (text is not null) result.Add((text, path));
        }
        return result;
    }

    public static string? StringValue(JsonElement value, string path, ErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors.Invalid(path, $"must be a string, not {JsonKinds.Describe(value)}");
        return null;
    }

    public static long? IntegerValue(JsonElement value, string path, ErrorCollector errors, long min, long max)
    {
        var range = $"an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Invalid(path, $"must be {range}, not {JsonKinds.Describe(value)}");
            return null;
        }
        if (!JsonKinds.IsIntegerLiteral(value) || !value.TryGetInt64(out var number))
        {
            errors.Invalid(path, $"must be {range}, not {Printable.Clip(value.GetRawText())}");
            return null;
        }
        if (number < min || number > max)
        {
            errors.Invalid(path, $"must be {range}, not {number.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return number;
    }
}
