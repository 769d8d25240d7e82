using System.Net.Sockets;
using System.Text;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Status;

/// <summary>The daemon against a fake NOTIFY_SOCKET: READY=1, a STATUS= summary, and WATCHDOG=1 every half WatchdogSec.</summary>
public sealed class SystemdNotifyTests : IAsyncLifetime
{
    private readonly NetnsWorld _world = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("bc-notify-").FullName;
    private AgentProcess? _agent;
    private MosquittoBroker? _broker;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        await _world.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Daemon_reports_ready_status_and_watchdog()
    {
        var ns = await _world.AddNamespaceAsync("br");
        var serial = $"BC-SN{_world.Tag}";
        _broker = await StatusCommandTests.BrokerFor(ns, serial);
        _agent = await AgentProcess.CreateAsync(ns, serial, _broker);
        var path = Path.Combine(_dir, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        _agent.Start(("NOTIFY_SOCKET", path), ("WATCHDOG_USEC", "2000000"));
        var messages = new List<(TimeSpan At, string Text)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!deadline.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            messages.Add((clock.Elapsed, Encoding.UTF8.GetString(buffer, 0, n)));
            var ready = messages.FindIndex(m => m.Text == "READY=1");
            if (ready >= 0 && messages.Skip(ready).Count(m => m.Text == "WATCHDOG=1") >= 4) break;
        }
        var log = string.Join("\n", messages.Select(m => $"{m.At.TotalSeconds:0.00} {m.Text}")) + "\n" + _agent.Output;

        var readyAt = messages.FindIndex(m => m.Text == "READY=1");
        Assert.True(readyAt >= 0, log);
        Assert.Contains(messages, m => m.Text.StartsWith($"STATUS={_agent.Serial}: pending_approval, broker ", StringComparison.Ordinal));
        var pings = messages.Where(m => m.Text == "WATCHDOG=1").Select(m => m.At).ToList();
        Assert.True(pings.Count >= 4, log);
        // Half of WATCHDOG_USEC: about one a second, never close to the 2 s limit. (A timer tick that was due
        // while the machine was busy can fire right after the previous ping: a short gap is harmless.)
        var gaps = pings.Zip(pings.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.InRange(g.TotalSeconds, 0, 1.8));
        Assert.InRange(pings.Count / (pings[^1] - pings[0] + TimeSpan.FromSeconds(1)).TotalSeconds, 0.3, 3);

        Assert.Equal(0, await _agent.StopAsync());
    }
}
