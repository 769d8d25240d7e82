using BranchConnector.Agent.Hosting;
using BranchConnector.Tests.Tools;

namespace BranchConnector.Tests.Hosting;

// Sets NOTIFY_SOCKET for a moment (Hosting.Systemd's notifier reads it when created): not in parallel with
// anything else that reads the environment.
[Collection(nameof(ProcessEnvironmentCollection))]
public class SystemdNotifierTests
{
    /// <summary>The agent's notifier over Microsoft.Extensions.Hosting.Systemd's, created as the daemon does it.</summary>
    internal static SystemdNotifier Notifier(string? notifySocket, TimeSpan? watchdogInterval)
    {
        var before = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", notifySocket);
        try
        {
            return new SystemdNotifier(new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier(), watchdogInterval);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", before);
        }
    }

    [Fact]
    public async Task Every_state_reaches_a_socket_file()
    {
        using var systemd = NotifySocket.InTempFolder();
        var notifier = Notifier(systemd.NotifySocketValue, null);

        Assert.True(notifier.IsEnabled);
        Assert.True(notifier.Ready());
        Assert.Equal("READY=1", await systemd.ReceiveAsync());
        Assert.True(notifier.Status("connected to mqtt://h:1883\nline two"));
        Assert.Equal("STATUS=connected to mqtt://h:1883 line two", await systemd.ReceiveAsync());
        Assert.True(notifier.Watchdog());
        Assert.Equal("WATCHDOG=1", await systemd.ReceiveAsync());
        Assert.True(notifier.Stopping());
        Assert.Equal("STOPPING=1", await systemd.ReceiveAsync());
    }

    [Fact]
    public async Task A_status_before_ready_is_held_until_ready_and_ready_comes_first()
    {
        using var systemd = NotifySocket.InTempFolder();
        var notifier = Notifier(systemd.NotifySocketValue, null);

        Assert.True(notifier.Status("first"));
        Assert.True(notifier.Status("second"));
        // What the host's SystemdLifetime calls.
        ((Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier)notifier).Notify(Microsoft.Extensions.Hosting.Systemd.ServiceState.Ready);
        Assert.Equal("READY=1", await systemd.ReceiveAsync());
        Assert.Equal("STATUS=second", await systemd.ReceiveAsync());
        Assert.True(notifier.Status("third"));
        Assert.Equal("STATUS=third", await systemd.ReceiveAsync());
    }

    [Fact]
    public async Task An_abstract_socket_named_with_an_at_sign_is_reached()
    {
        using var systemd = NotifySocket.Abstract();
        var notifier = Notifier(systemd.NotifySocketValue, null);

        Assert.True(notifier.Ready());
        Assert.Equal("READY=1", await systemd.ReceiveAsync());
    }

    [Fact]
    public void Without_notify_socket_nothing_is_sent()
    {
        var notifier = Notifier(null, TimeSpan.FromSeconds(5));

        Assert.False(notifier.IsEnabled);
        Assert.Null(notifier.WatchdogInterval);
        Assert.False(notifier.Ready());
        Assert.False(notifier.Watchdog());
    }

    [Fact]
    public void A_socket_nobody_listens_on_is_not_an_error()
    {
        var notifier = Notifier("/nonexistent-bc-folder/notify", null);
        Assert.False(notifier.Ready());
    }

    [Fact]
    public async Task The_watchdog_loop_pings_until_cancelled()
    {
        using var systemd = NotifySocket.InTempFolder();
        var notifier = Notifier(systemd.NotifySocketValue, TimeSpan.FromMilliseconds(50));
        using var stop = new CancellationTokenSource();

        var loop = notifier.RunWatchdogAsync(() => DateTimeOffset.UtcNow, TimeProvider.System, stop.Token);
        Assert.Equal("WATCHDOG=1", await systemd.ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await systemd.ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await systemd.ReceiveAsync());
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Without_a_watchdog_the_loop_returns_at_once()
    {
        using var systemd = NotifySocket.InTempFolder();
        var notifier = Notifier(systemd.NotifySocketValue, null);
        await notifier.RunWatchdogAsync(() => DateTimeOffset.UtcNow, TimeProvider.System, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_stale_heartbeat_stops_the_pings_after_the_first()
    {
        using var systemd = NotifySocket.InTempFolder();
        var notifier = Notifier(systemd.NotifySocketValue, TimeSpan.FromMilliseconds(50));
        using var stop = new CancellationTokenSource();
        var stuckSince = DateTimeOffset.UtcNow;

        var loop = notifier.RunWatchdogAsync(() => stuckSince, TimeProvider.System, stop.Token);
        Assert.Equal("WATCHDOG=1", await systemd.ReceiveAsync());
        await Task.Delay(400);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        // At most the ticks within twice the interval of the last heartbeat may still ping; then nothing.
        Assert.True(notifier.Stopping());
        var after = new List<string>();
        while (after.LastOrDefault() != "STOPPING=1") after.Add(await systemd.ReceiveAsync());
        Assert.InRange(after.Count(m => m == "WATCHDOG=1"), 0, 2);
    }

    [Theory]
    [InlineData("30000000", null, 15_000)]
    [InlineData("30000000", "4242", 15_000)]
    [InlineData("1000", "", 0.5)]
    public void Watchdog_interval_is_half_of_watchdog_usec(string usec, string? pid, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SystemdNotifier.ParseWatchdogInterval(usec, pid, 4242));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("abc", null)]
    [InlineData("-5", null)]
    [InlineData("30000000", "4243")]
    [InlineData("30000000", "x")]
    public void No_watchdog_when_unset_invalid_or_meant_for_another_process(string? usec, string? pid) =>
        Assert.Null(SystemdNotifier.ParseWatchdogInterval(usec, pid, 4242));
}
