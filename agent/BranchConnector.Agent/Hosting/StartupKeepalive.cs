using System.Globalization;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Keeps systemd from killing a slow start. Until READY=1 systemd bounds the start by TimeoutStartSec (90 s in
/// the unit), and a box that restores a large last-known-good state, or runs under emulation or load (the VM
/// lane: one `ip` call takes a second there, an empty start half a minute), can outlast it and be killed and
/// restarted in a loop before the data plane is ever back. While the start runs this sends
/// EXTEND_TIMEOUT_USEC every <see cref="Step"/>, each granting another <see cref="Grant"/> from the moment it
/// arrives, for at most <see cref="Limit"/>: a start that hangs is still killed, 10 minutes later.
/// </summary>
/// <remarks>
/// Not WATCHDOG=1: systemd arms a Type=notify unit's watchdog when READY=1 arrives (service_enter_start_post),
/// and a WATCHDOG=1 before that would arm it early; the watchdog loop starts with READY=1 (Daemon).
/// </remarks>
public static class StartupKeepalive
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Grant = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>The sd_notify assignment that extends the start timeout by <paramref name="grant"/>.</summary>
    public static string Message(TimeSpan grant) =>
        "EXTEND_TIMEOUT_USEC=" + ((long)grant.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs until <paramref name="started"/> is cancelled (the start ended either way) or <see cref="Limit"/> passed.</summary>
    public static async Task RunAsync(SystemdNotifier notifier, TimeProvider clock, CancellationToken started)
    {
        if (!notifier.IsEnabled) return;
        var since = clock.GetTimestamp();
        try
        {
            while (clock.GetElapsedTime(since) < Limit)
            {
                notifier.Send(new Microsoft.Extensions.Hosting.Systemd.ServiceState(Message(Grant)));
                await Task.Delay(Step, clock, started).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (started.IsCancellationRequested)
        {
            // Started (or stopping): READY=1 or the exit ends the start timeout.
        }
    }
}
