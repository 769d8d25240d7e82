using System.Globalization;
using System.Text.RegularExpressions;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux;

/// <summary>
/// `ip -batch -` stops at the first failing line and ends its stderr with "Command failed -:N" (N 1-based).
/// Lines before N were applied; N and later were not.
/// </summary>
public static partial class IpBatchFailure
{
    /// <summary>The 1-based number of the failing stdin line, or null when stderr does not name one.</summary>
    public static int? Parse(string stderr)
    {
        var matches = FailedLine().Matches(stderr);
        return matches.Count == 0 ? null : int.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The change whose line failed, for commands built by <see cref="IpBatch.Plan"/>.</summary>
    public static PlannedChange? FailingChange(PlannedCommand command, string stderr) =>
        Parse(stderr) is int line && line >= 1 && line <= command.Changes.Count ? command.Changes[line - 1] : null;

    /// <summary>The text of the failing line, for an error message.</summary>
    public static string? FailingLine(string? stdin, string stderr)
    {
        if (stdin is null || Parse(stderr) is not int line) return null;
        var lines = stdin.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1] : null;
    }

    [GeneratedRegex(@"Command failed -:(\d+)")]
    private static partial Regex FailedLine();
}
