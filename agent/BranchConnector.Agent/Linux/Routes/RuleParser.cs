using System.Globalization;
using System.Text.Json;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// Reads `ip -4|-6 -N -j rule show`, keeping only rules inside <see cref="RuleBand"/>. "src":"all" is no
/// selector; a host selector is printed without its length.
/// </summary>
public static class RuleParser
{
    public static CommandRequest Request(IpFamily family) =>
        CommandRequest.Of("ip", family == IpFamily.V6 ? "-6" : "-4", "-N", "-j", "rule", "show");

    private static readonly HashSet<string> Modeled = ["priority", "src", "srclen", "dst", "dstlen", "table", "fwmark", "not", "suppress_prefixlen", "protocol"];

    public static IReadOnlyList<ObservedRule> Parse(string ipJson, IpFamily family)
    {
        if (string.IsNullOrWhiteSpace(ipJson)) return [];
        using var doc = JsonDocument.Parse(ipJson);
        var rules = new List<ObservedRule>();
        foreach (var r in doc.RootElement.EnumerateArray())
        {
            var priority = r.GetProperty("priority").GetInt32();
            if (!RuleBand.Contains(priority)) continue;
            var unmodeled = r.EnumerateObject().Select(p => p.Name).Where(n => !Modeled.Contains(n)).ToArray();
            rules.Add(new ObservedRule(
                priority,
                Selector(r, "src", "srclen"),
                Selector(r, "dst", "dstlen"),
                IpJson.String(r, "table") is string table ? RoutingTables.Parse(table) : null,
                IpJson.String(r, "fwmark") is string mark ? ParseMark(mark) : null,
                r.TryGetProperty("not", out _),
                r.TryGetProperty("suppress_prefixlen", out var suppress) ? suppress.GetInt32() : null,
                family)
            {
                Unmodeled = unmodeled.Length == 0 ? null : string.Join(',', unmodeled),
            });
        }
        return rules;
    }

    private static string? Selector(JsonElement r, string addressKey, string lengthKey)
    {
        var address = IpJson.String(r, addressKey);
        if (address is null or "all") return null;
        return r.TryGetProperty(lengthKey, out var length)
            ? IpText.Network($"{address}/{length.GetInt32().ToString(CultureInfo.InvariantCulture)}")
            : IpText.Network(address);
    }

    private static uint ParseMark(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : uint.Parse(text, CultureInfo.InvariantCulture);
}
