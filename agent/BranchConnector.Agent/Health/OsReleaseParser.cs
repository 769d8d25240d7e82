using System.Text;

namespace BranchConnector.Agent.Health;

/// <summary>os-release(5): shell-style KEY=VALUE lines, values optionally quoted with backslash escapes.</summary>
public static class OsReleaseParser
{
    /// <summary>PRETTY_NAME, else NAME, else null.</summary>
    public static string? PrettyName(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var values = Parse(content);
        return values.GetValueOrDefault("PRETTY_NAME") is { Length: > 0 } pretty ? pretty
            : values.GetValueOrDefault("NAME") is { Length: > 0 } name ? name : null;
    }

    public static Dictionary<string, string> Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in content.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            values[line[..eq]] = Unquote(line[(eq + 1)..]);
        }
        return values;
    }

    private static string Unquote(string value)
    {
        if (value.Length < 2 || (value[0] != '"' && value[0] != '\'') || value[^1] != value[0]) return value;
        var quote = value[0];
        var inner = value[1..^1];
        if (quote == '\'') return inner;
        var sb = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length) i++;
            sb.Append(inner[i]);
        }
        return sb.ToString();
    }
}
