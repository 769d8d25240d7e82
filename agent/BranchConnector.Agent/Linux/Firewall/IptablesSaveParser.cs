using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// Reads iptables-save output (all tables, one family) and keeps only the agent's chains, their rules and the
/// rules elsewhere that jump into them. Foreign chains and rules are skipped unread.
/// </summary>
public static class IptablesSaveParser
{
    public static ObservedFamily Parse(IpFamily family, string saveOutput)
    {
        var rules = new Dictionary<OwnChain, List<string>>();
        var jumps = new List<ObservedJump>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        string? table = null;

        foreach (var raw in saveOutput.Split('\n'))
        {
            var line = StripCounters(raw.TrimEnd('\r'));
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '*')
            {
                table = line[1..].Trim();
                positions.Clear();
                continue;
            }
            if (table is null) continue;
            if (line[0] == ':')
            {
                var name = line[1..].Split(' ', 2)[0];
                if (OwnChain.Find(table, name) is { } declared) rules.TryAdd(declared, []);
                continue;
            }
            if (!line.StartsWith("-A ", StringComparison.Ordinal)) continue;

            var chainName = line[3..].Split(' ', 2)[0];
            var position = positions[chainName] = positions.GetValueOrDefault(chainName) + 1;
            if (OwnChain.Find(table, chainName) is { } own)
            {
                if (!rules.TryGetValue(own, out var list)) rules[own] = list = [];
                list.Add(line);
            }
            else if (TargetOf(line) is { } target && OwnChain.Find(table, target) is { } into)
            {
                jumps.Add(new ObservedJump(into, chainName, position, line));
            }
        }

        var chains = OwnChain.All.Where(rules.ContainsKey).Select(c => new ChainRules(c, rules[c].ToEquatableList()));
        return new ObservedFamily(family, chains.ToEquatableList(), jumps.ToEquatableList());
    }

    /// <summary>The chain a rule jumps or goes to (-j / -g), reading quoted comments as one word.</summary>
    internal static string? TargetOf(string line)
    {
        var words = Words(line);
        string? target = null;
        for (var i = 0; i + 1 < words.Count; i++)
            if (words[i] is "-j" or "-g" or "--jump" or "--goto") target = words[i + 1];
        return target;
    }

    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && quoted && i + 1 < line.Length) { current.Append(line[++i]); continue; }
            if (c == '"') { quoted = !quoted; continue; }
            if (c == ' ' && !quoted)
            {
                if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    /// <summary>iptables-save -c prefixes rules with "[packets:bytes] "; the rule text is what follows.</summary>
    private static string StripCounters(string line)
    {
        if (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0) return line[(end + 2)..];
        return line;
    }
}
