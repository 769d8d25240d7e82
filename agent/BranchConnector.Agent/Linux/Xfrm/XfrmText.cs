using System.Globalization;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>Shared pieces for reading `ip xfrm` text output: blocks start at column 0, details are tab-indented.</summary>
internal static class XfrmText
{
    /// <summary>Splits the output into blocks: the unindented head line and its indented detail lines (trimmed).</summary>
    public static IEnumerable<(string Head, List<string> Details)> Blocks(string text)
    {
        string? head = null;
        var details = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            if (raw.Trim().Length == 0) continue;
            if (!char.IsWhiteSpace(raw[0]))
            {
                if (head is not null) yield return (head, details);
                head = raw.Trim();
                details = [];
            }
            else if (head is not null) details.Add(raw.Trim());
            else throw new FormatException($"ip xfrm: detail line before any object: \"{raw.Trim()}\"");
        }
        if (head is not null) yield return (head, details);
    }

    public static string[] Words(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>"src A dst B rest…" → (A, B, rest or null).</summary>
    public static (string Source, string Destination, string? Remainder) SourceDestination(string line)
    {
        var w = Words(line);
        if (w.Length < 4 || w[0] != "src" || w[2] != "dst") throw new FormatException($"ip xfrm: expected \"src … dst …\", got \"{line}\"");
        return (w[1], w[3], w.Length > 4 ? string.Join(' ', w.Skip(4)) : null);
    }

    /// <summary>The word after <paramref name="name"/> in a "name value name value" line, or null.</summary>
    public static string? Value(string[] words, string name)
    {
        for (var i = 0; i + 1 < words.Length; i++)
            if (words[i] == name) return words[i + 1];
        return null;
    }

    /// <summary>"0x0000c001" or "49153".</summary>
    public static uint Number(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : uint.Parse(text, CultureInfo.InvariantCulture);
}
