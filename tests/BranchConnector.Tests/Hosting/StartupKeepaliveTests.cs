using BranchConnector.Agent.Hosting;
using BranchConnector.Tests.Tools;
using Microsoft.Extensions.Time.Testing;

namespace BranchConnector.Tests.Hosting;

// Creates notifiers from NOTIFY_SOCKET like the daemon: not in parallel with others that read the environment.
[Collection(nameof(ProcessEnvironmentCollection))]
public class StartupKeepaliveTests
{
    [Fact]
    public void The_message_grants_the_time_in_microseconds() =>
        Assert.Equal("EXTEND_TIMEOUT_USEC=30000000", StartupKeepalive.Message(TimeSpan.FromSeconds(30)));

    [Fact]
    public async Task A_start_is_extended_at_once_and_every_step_until_it_ends()
    {
        using var systemd = NotifySocket.InTempFolder();
        var notifier = SystemdNotifierTests.Notifier(systemd.NotifySocketValue, null);
        var clock = new FakeTimeProvider();
        using var starting = new CancellationTokenSource();

        var loop = StartupKeepalive.RunAsync(notifier, clock, starting.Token);
        Assert.Equal("EXTEND_TIMEOUT_USEC=30000000", await systemd.ReceiveAsync());
        clock.Advance(StartupKeepalive.Step);
        Assert.Equal("EXTEND_TIMEOUT_USEC=30000000", await systemd.ReceiveAsync());
        clock.Advance(StartupKeepalive.Step);
        Assert.Equal("EXTEND_TIMEOUT_USEC=30000000", await systemd.ReceiveAsync());

        await starting.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
        // Nothing after the start ended: the next datagram is the one sent now.
        clock.Advance(StartupKeepalive.Step * 3);
        notifier.Ready();
        Assert.Equal("READY=1", await systemd.ReceiveAsync());
    }

    [Fact]
    public async Task A_start_that_never_ends_is_extended_only_up_to_the_limit()
    {
        using var systemd = NotifySocket.InTempFolder();
        var notifier = SystemdNotifierTests.Notifier(systemd.NotifySocketValue, null);
        var clock = new FakeTimeProvider();

        var loop = StartupKeepalive.RunAsync(notifier, clock, CancellationToken.None);
        var sent = 0;
        // After each step the loop either sends the next extension or, past the limit, ends without one.
        while (true)
        {
            var receive = systemd.ReceiveAsync();
            if (await Task.WhenAny(receive, loop).WaitAsync(TimeSpan.FromSeconds(10)) != receive) break;
            Assert.Equal("EXTEND_TIMEOUT_USEC=30000000", await receive);
            sent++;
            clock.Advance(StartupKeepalive.Step);
        }
        await loop;
        // One at the start and one per step within the limit: the last grant ends 30 s after the limit.
        Assert.Equal((int)(StartupKeepalive.Limit / StartupKeepalive.Step), sent);
    }

    [Fact]
    public async Task Without_systemd_nothing_is_sent_and_it_returns_at_once()
    {
        var notifier = SystemdNotifierTests.Notifier(null, null);
        await StartupKeepalive.RunAsync(notifier, new FakeTimeProvider(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
