using System.Text.Json;

namespace BranchConnector.Agent.Linux;

/// <summary>Field reads on `ip -j` output, shared by its parsers.</summary>
internal static class IpJson
{
    /// <summary>The string member <paramref name="name"/>, or null when it is absent or not a string.</summary>
    public static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
