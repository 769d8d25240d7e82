using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Health.Time;

/// <summary>Whether systemd-timesyncd/chrony report the clock as NTP-synchronized, through timedatectl.</summary>
public sealed class NtpStatusReader(ICommandRunner runner)
{
    private static readonly CommandRequest Request =
        new("timedatectl", ["show", "-p", "NTPSynchronized", "--value"]) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>True/false as timedatectl says; null when the tool is missing, fails (no systemd/D-Bus) or prints something else.</summary>
    public async Task<bool?> ReadAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) return null;
        return result.Stdout.Trim() switch
        {
            "yes" => true,
            "no" => false,
            _ => null,
        };
    }
}
