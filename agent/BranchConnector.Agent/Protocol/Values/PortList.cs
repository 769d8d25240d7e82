using System.Globalization;

namespace BranchConnector.Agent.Protocol.Values;

/// <summary>
/// "22,80,1000-2000" → the iptables multiport text "22,80,1000:2000". multiport matches at most 15 ports,
/// a range counting as two, so longer lists are refused here rather than by iptables-restore at apply.
/// </summary>
public static class PortList
{
    public const int MultiportLimit = 15;

    public static string? TryParse(string text, out string multiport)
    {
        multiport = "";
        var shown = Reading.Printable.Clip(text);
        var entries = new List<string>();
        var slots = 0;
        foreach (var raw in text.Split(','))
        {
            var entry = raw.Trim(' ');
            if (entry.Length == 0) return $"'{shown}' has an empty entry";
            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!TryPort(entry, out var port)) return $"'{shown}': '{Reading.Printable.Clip(entry)}' is not a port from 1 to 65535";
                entries.Add(port.ToString(CultureInfo.InvariantCulture));
                slots++;
                continue;
            }
            if (!TryPort(entry[..dash], out var low) || !TryPort(entry[(dash + 1)..], out var high))
                return $"'{shown}': '{Reading.Printable.Clip(entry)}' is not a port range from 1 to 65535";
            if (low > high) return $"'{shown}': range {low.ToString(CultureInfo.InvariantCulture)}-{high.ToString(CultureInfo.InvariantCulture)} is upside down";
            entries.Add(low == high ? low.ToString(CultureInfo.InvariantCulture) : $"{low.ToString(CultureInfo.InvariantCulture)}:{high.ToString(CultureInfo.InvariantCulture)}");
            slots += low == high ? 1 : 2;
        }
        if (slots > MultiportLimit) return $"'{shown}' lists more than {MultiportLimit} ports (a range counts as two)";
        multiport = string.Join(',', entries);
        return null;
    }

    private static bool TryPort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || text.Any(c => c is < '0' or > '9') || (text.Length > 1 && text[0] == '0')) return false;
        port = int.Parse(text, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535;
    }
}
