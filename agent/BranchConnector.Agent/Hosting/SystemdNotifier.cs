using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The agent's side of sd_notify(3) for a <c>Type=notify</c> unit, over Microsoft.Extensions.Hosting.Systemd's
/// notifier (NOTIFY_SOCKET, "@name" for an abstract socket). The host's <c>SystemdLifetime</c> sends READY=1
/// and STOPPING=1 through it (it is the registered <see cref="ISystemdNotifier"/>); the agent adds STATUS= and
/// a watchdog that pings only while the work loop beats. Without NOTIFY_SOCKET every call does nothing.
/// A failed send never throws: systemd being unreachable must not stop the agent (the library's notifier
/// throws when nobody listens; this wrapper turns that into false).
/// </summary>
public sealed class SystemdNotifier(ISystemdNotifier systemd, TimeSpan? watchdogInterval) : ISystemdNotifier
{
    private readonly Lock _gate = new();
    private bool _ready;
    private string? _heldStatus;

    /// <summary>Reads NOTIFY_SOCKET (the library's notifier), WATCHDOG_USEC and WATCHDOG_PID.</summary>
    public static SystemdNotifier FromEnvironment() => new(
        new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier(),
        ParseWatchdogInterval(
            Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"),
            Environment.ProcessId));

    /// <summary>True when NOTIFY_SOCKET names a socket.</summary>
    public bool IsEnabled => systemd.IsEnabled;

    /// <summary>How often to send WATCHDOG=1 (half of WatchdogSec), or null when systemd watches nothing.</summary>
    public TimeSpan? WatchdogInterval => IsEnabled ? watchdogInterval : null;

    /// <summary>READY=1, then the newest status line held back until now.</summary>
    public bool Ready()
    {
        var sent = Send(ServiceState.Ready);
        string? held;
        lock (_gate)
        {
            _ready = true;
            held = _heldStatus;
            _heldStatus = null;
        }
        if (held is not null) Send(new ServiceState(held));
        return sent;
    }

    /// <summary>
    /// A one-line status shown by <c>systemctl status</c>. Before READY=1 the newest line is held and sent right
    /// after it: the agent's start-up ends (first status) a moment before the host announces READY, and READY=1
    /// stays the first thing systemd hears.
    /// </summary>
    public bool Status(string status)
    {
        var line = "STATUS=" + status.ReplaceLineEndings(" ");
        lock (_gate)
        {
            if (!_ready && IsEnabled)
            {
                _heldStatus = line;
                return true;
            }
        }
        return Send(new ServiceState(line));
    }

    public bool Watchdog() => Send(new ServiceState("WATCHDOG=1"));

    public bool Stopping() => Send(ServiceState.Stopping);

    /// <summary>What SystemdLifetime calls (READY=1, STOPPING=1): never throws.</summary>
    void ISystemdNotifier.Notify(ServiceState state)
    {
        if (state.ToString() == ServiceState.Ready.ToString()) Ready();
        else Send(state);
    }

    /// <summary>Sends one newline-separated assignment block; false when disabled or the send failed.</summary>
    public bool Send(ServiceState state)
    {
        if (!IsEnabled) return false;
        try
        {
            systemd.Notify(state);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends WATCHDOG=1 every <see cref="WatchdogInterval"/> until cancelled; returns at once without a watchdog.</summary>
    /// <param name="heartbeat">When the loop that does the work last proved it was alive: no ping while it is stuck,
    /// so systemd restarts a hung reconciler instead of a healthy timer keeping it alive.</param>
    public async Task RunWatchdogAsync(Func<DateTimeOffset> heartbeat, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (WatchdogInterval is not { } interval) return;
        using var timer = new PeriodicTimer(interval, clock);
        Watchdog();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                if (clock.GetUtcNow() - heartbeat() < interval * 2) Watchdog();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the last ping stands until STOPPING=1.
        }
    }

    /// <summary>Half of WATCHDOG_USEC, when set for this process (WATCHDOG_PID absent or ours).</summary>
    internal static TimeSpan? ParseWatchdogInterval(string? watchdogUsec, string? watchdogPid, int ourPid)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0) return null;
        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != ourPid))
            return null;
        return TimeSpan.FromTicks((long)Math.Min(usec / 2 * 10, long.MaxValue / 2));
    }
}
