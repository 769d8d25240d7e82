using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The sd_notify(3) protocol for a <c>Type=notify</c> unit: one datagram per state change to the AF_UNIX socket
/// named by NOTIFY_SOCKET ("@name" is an abstract socket). Without NOTIFY_SOCKET every call does nothing.
/// A failed send never throws: systemd being unreachable must not stop the agent.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _gate = new();
    private Socket? _socket;

    internal SystemdNotifier(string? socketPath, TimeSpan? watchdogInterval)
    {
        _endpoint = string.IsNullOrEmpty(socketPath) ? null
            : new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        WatchdogInterval = _endpoint is null ? null : watchdogInterval;
    }

    /// <summary>Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID.</summary>
    public static SystemdNotifier FromEnvironment() => new(
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET"),
        ParseWatchdogInterval(
            Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"),
            Environment.ProcessId));

    /// <summary>True when NOTIFY_SOCKET names a socket.</summary>
    public bool IsEnabled => _endpoint is not null;

    /// <summary>How often to send WATCHDOG=1 (half of WatchdogSec), or null when systemd watches nothing.</summary>
    public TimeSpan? WatchdogInterval { get; }

    public bool Ready() => Send("READY=1");

    /// <summary>A one-line status shown by <c>systemctl status</c>.</summary>
    public bool Status(string status) => Send("STATUS=" + status.ReplaceLineEndings(" "));

    public bool Watchdog() => Send("WATCHDOG=1");

    public bool Stopping() => Send("STOPPING=1");

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

    /// <summary>Sends one newline-separated assignment block; false when disabled or the send failed.</summary>
    public bool Send(string state)
    {
        if (_endpoint is null) return false;
        var datagram = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                return _socket.SendTo(datagram, SocketFlags.None, _endpoint) == datagram.Length;
            }
            catch (SocketException)
            {
                return false;
            }
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

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
