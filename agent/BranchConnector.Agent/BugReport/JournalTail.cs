using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.BugReport;

/// <summary>
/// The unit's last 1,000 journal lines. journalctl may be absent (a container), the journal empty (the agent
/// was never run by systemd) or unreadable (not in systemd-journal): each case is stated instead of the lines.
/// </summary>
public sealed class JournalTail(ICommandRunner runner)
{
    public const string Unit = "branch-connector.service";
    public const int Lines = 1000;

    /// <summary>The lines (null when none) and, when something is missing, why.</summary>
    public async Task<(string? Lines, string? Missing)> ReadAsync(CancellationToken ct)
    {
        var request = CommandRequest.Of("journalctl", "--unit", Unit, "--lines", Lines.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-pager", "--output", "short-iso")
            with { Timeout = TimeSpan.FromSeconds(20) };
        var result = await runner.RunAsync(request, ct).ConfigureAwait(false);
        if (result.ExitCode == 127) return (null, $"journal: journalctl is not installed here ({result.Stderr.Trim()})");
        if (!result.Succeeded) return (null, $"journal: {result.Describe()}");
        var lines = result.Stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-- No entries --", StringComparison.Ordinal)).ToList();
        if (lines.Count == 0) return (null, $"journal: no lines for {Unit} (the agent has not run under systemd here, or the journal was rotated away)");
        return (string.Concat(lines.Select(l => l + "\n")), null);
    }
}
