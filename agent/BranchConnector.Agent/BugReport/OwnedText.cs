using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.Xfrm;

namespace BranchConnector.Agent.BugReport;

/// <summary>
/// Cuts the agent's own objects out of whole-table tool output, by the same marks the agent owns them by:
/// rule priorities in its band, BC-* chains and their commented jumps, xfrm reqids and policy priorities in
/// its bands. Everyone else's objects stay out of the report.
/// </summary>
public static partial class OwnedText
{
    /// <summary>`ip rule show` lines ("5180:\tfrom all lookup main suppress_prefixlength 0") in the agent's band.</summary>
    public static string Rules(string text) =>
        Lines(text, line => line.Split(':', 2) is [var p, _] && int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var prio) && RuleBand.Contains(prio));

    /// <summary>iptables-save output reduced to the BC-* chains, their rules and the jumps into them, per table.</summary>
    public static string Chains(string save)
    {
        var output = new StringBuilder();
        string? table = null;
        var body = new List<string>();
        foreach (var raw in save.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
            {
                table = line[1..];
                body.Clear();
            }
            else if (line == "COMMIT" && table is not null)
            {
                if (body.Count > 0) output.Append('*').Append(table).Append('\n').AppendJoin('\n', body).Append("\nCOMMIT\n");
                table = null;
            }
            else if (table is not null && IsOwnChainLine(line))
            {
                body.Add(line);
            }
        }
        return output.ToString();
    }

    private static bool IsOwnChainLine(string line) =>
        line.StartsWith(":BC-", StringComparison.Ordinal)
        || line.StartsWith("-A BC-", StringComparison.Ordinal)
        || (line.StartsWith("-A ", StringComparison.Ordinal) && line.Contains($"--comment {OwnChain.Comment}", StringComparison.Ordinal) && line.Contains(" -j BC-", StringComparison.Ordinal));

    /// <summary>`ip xfrm state` blocks whose reqid is in the agent's band.</summary>
    public static string XfrmStates(string text) =>
        Blocks(text, block => Reqid().Match(block) is { Success: true } m && TryNumber(m.Groups[1].Value, out var reqid) && XfrmBands.ContainsReqid(reqid));

    /// <summary>`ip xfrm policy` blocks whose priority is in the agent's band.</summary>
    public static string XfrmPolicies(string text) =>
        Blocks(text, block => Priority().Match(block) is { Success: true } m && TryNumber(m.Groups[1].Value, out var priority) && XfrmBands.ContainsPriority(priority));

    private static string Lines(string text, Func<string, bool> keep) =>
        string.Concat(text.Split('\n').Where(l => l.Length > 0 && keep(l)).Select(l => l + "\n"));

    /// <summary>ip xfrm prints one object per block: a line at column 0 and its indented continuation lines.</summary>
    private static string Blocks(string text, Func<string, bool> keep)
    {
        var output = new StringBuilder();
        var block = new StringBuilder();
        void Flush()
        {
            if (block.Length > 0 && keep(block.ToString())) output.Append(block);
            block.Clear();
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (!char.IsWhiteSpace(line[0])) Flush();
            block.Append(line).Append('\n');
        }
        Flush();
        return output.ToString();
    }

    /// <summary>ip prints reqids in decimal with "(0x…)" after, or in hex with -x; priorities in decimal.</summary>
    private static bool TryNumber(string text, out uint value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex(@"\breqid (0x[0-9a-fA-F]+|\d+)")]
    private static partial Regex Reqid();

    [GeneratedRegex(@"\bpriority (\d+)")]
    private static partial Regex Priority();
}
