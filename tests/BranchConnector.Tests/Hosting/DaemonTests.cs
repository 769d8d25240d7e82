using BranchConnector.Agent.Config;
using BranchConnector.Agent.Hosting;

namespace BranchConnector.Tests.Hosting;

public class DaemonTests
{
    [Fact]
    public async Task Logs_the_start_announces_ready_and_stops_cleanly()
    {
        var settings = AgentSettingsLoader.Parse("serial: BC-0042\nbroker: { urls: [mqtt://h] }\n", "/etc/branch-connector/agent.yaml");
        using var systemd = NotifySocket.InTempFolder();
        using var notifier = new SystemdNotifier(systemd.NotifySocketValue, null);
        var output = new StringWriter();
        using var loggers = AgentLogging.CreateLoggerFactory(settings.Log, journal: true, output);
        using var stop = new CancellationTokenSource();

        var run = Daemon.RunAsync(settings, loggers, notifier, stop.Token);
        Assert.Equal("READY=1", await systemd.ReceiveAsync());
        Assert.Equal("STATUS=running for serial BC-0042", await systemd.ReceiveAsync());
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("STOPPING=1", await systemd.ReceiveAsync());
        Assert.Contains($"<6>branch-connector {BranchConnector.Agent.AgentInfo.Version} starting for serial BC-0042\n", output.ToString(), StringComparison.Ordinal);
    }
}
