using System.Diagnostics;
using System.Text;
using BranchConnector.Agent.Mqtt;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Mqtt;

/// <summary>Shared set-up for the MQTT session tests: options for a serial, running a session, waiting on it.</summary>
internal static class MqttTestKit
{
    public const string ObserverUser = "observer";
    public const string ObserverPassword = "observer-test-pw";

    public static string NewSerial() => "BC-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>Each serial gets its own broker user whose password is unique and easy to search logs for.</summary>
    public static string PasswordFor(string serial) => "pw-" + serial + "-s3cret";

    public static Dictionary<string, string> Users(params string[] serials)
    {
        var users = new Dictionary<string, string> { [ObserverUser] = ObserverPassword };
        foreach (var serial in serials) users[serial] = PasswordFor(serial);
        return users;
    }

    public static string StateTopic(string serial) => $"VSRE/{serial}/state";

    public static MqttSessionOptions Options(string serial, params Uri[] urls) => new()
    {
        Serial = serial,
        Urls = urls,
        Username = serial,
        Password = PasswordFor(serial),
        SubscribeTopicFilter = $"VSR/{serial}/#",
        WillTopic = StateTopic(serial),
        WillPayload = Encoding.UTF8.GetBytes($"{{\"v\":1,\"serial\":\"{serial}\",\"online\":false}}"),
        KeepaliveSeconds = 10,
        BackoffMin = TimeSpan.FromMilliseconds(200),
        BackoffMax = TimeSpan.FromSeconds(1),
        StableConnectionAfter = TimeSpan.FromSeconds(1),
    };

    /// <summary>OnConnected that announces online, as the agent will.</summary>
    public static Func<IMqttSession, CancellationToken, Task> AnnounceOnline(string serial) => async (session, ct) =>
        await session.PublishAsync(StateTopic(serial), Encoding.UTF8.GetBytes($"{{\"v\":1,\"serial\":\"{serial}\",\"online\":true}}"), 1, true, ct);

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var started = Stopwatch.StartNew();
        while (!condition())
        {
            if (started.Elapsed > timeout) throw new TimeoutException($"timed out after {timeout}: {what()}");
            await Task.Delay(25);
        }
    }

    public static async Task<InboundMessage> ReadAsync(IMqttSession session, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await session.Inbound.ReadAsync(cts.Token);
    }

    /// <summary>A running session and everything needed to stop it and inspect its log.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cts = new();

        public Running(MqttSessionOptions options)
        {
            Session = new MqttSession(options, Logger);
            Run = Session.RunAsync(_cts.Token);
        }

        public CollectingLogger<MqttSession> Logger { get; } = new();
        public MqttSession Session { get; }
        public Task Run { get; }

        public Task WaitConnectedAsync(TimeSpan? timeout = null) =>
            WaitUntilAsync(() => Session.Status.Connected, timeout ?? TimeSpan.FromSeconds(10), () => $"not connected: {Session.Status}\n{Logger.All}");

        public async Task StopAsync()
        {
            await _cts.CancelAsync();
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            await Session.DisposeAsync();
            _cts.Dispose();
        }
    }
}
