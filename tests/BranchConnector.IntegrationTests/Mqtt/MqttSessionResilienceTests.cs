using System.Diagnostics;
using System.Text;
using BranchConnector.Agent.Mqtt;
using BranchConnector.IntegrationTests.Fixtures;
using static BranchConnector.IntegrationTests.Mqtt.MqttTestKit;

namespace BranchConnector.IntegrationTests.Mqtt;

/// <summary>Losing the broker and getting it back: last will, reconnect, resubscribe, identity takeover.</summary>
public sealed class MqttSessionResilienceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_connection_that_dies_without_disconnect_makes_the_broker_publish_the_will_then_the_session_comes_back()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var relay = new TcpRelay(broker.Port);
        await using var observer = await MqttObserver.StartAsync(broker, ObserverUser, StateTopic(serial));
        await using var running = new Running(Options(serial, new Uri($"mqtt://127.0.0.1:{relay.Port}")) with { OnConnected = AnnounceOnline(serial) });
        await running.WaitConnectedAsync();
        await observer.WaitForAsync(m => m.Payload.Contains("\"online\":true", StringComparison.Ordinal), Wait, "online");

        // RST on both sides, no DISCONNECT: to the broker the client is gone as if killed.
        relay.SeverAll();

        var will = await observer.WaitForAsync(m => m.Payload.Contains("\"online\":false", StringComparison.Ordinal), Wait, "the last will");
        Assert.Equal($"{{\"v\":1,\"serial\":\"{serial}\",\"online\":false}}", will.Payload);
        await WaitUntilAsync(() => running.Session.Status.ConnectCount == 2 && running.Session.Status.Connected, Wait, () => running.Logger.All);
        await WaitUntilAsync(() => observer.Messages.SkipWhile(m => !m.Payload.Contains("\"online\":false", StringComparison.Ordinal))
                .Any(m => m.Payload.Contains("\"online\":true", StringComparison.Ordinal)),
            Wait, () => "no online state after the will: " + string.Join(" | ", observer.Messages));
    }

    [Fact]
    public async Task A_clean_shutdown_still_tells_the_hub_the_connector_is_offline()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var observer = await MqttObserver.StartAsync(broker, ObserverUser, StateTopic(serial));
        await using var running = new Running(Options(serial, broker.Url));
        await running.WaitConnectedAsync();

        await running.StopAsync();

        await observer.WaitForAsync(m => m.Payload.Contains("\"online\":false", StringComparison.Ordinal), Wait, "will on shutdown");
        Assert.False(running.Session.Status.Connected);
        Assert.True(running.Session.Inbound.Completion.IsCompleted);
    }

    [Fact]
    public async Task After_a_broker_restart_it_reconnects_and_resubscribes_once_within_the_backoff_bound()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        var onConnectedRuns = 0;
        await using var running = new Running(Options(serial, broker.Url) with
        {
            OnConnected = (_, _) => { Interlocked.Increment(ref onConnectedRuns); return Task.CompletedTask; },
        });
        await running.WaitConnectedAsync();
        // CONNACK comes before the broker has handled our SUBSCRIBE: restart only once it is in its log.
        await WaitUntilAsync(() => SubscribeLines(broker, serial) == 1, Wait, () => broker.Log);

        for (var round = 2; round <= 3; round++)
        {
            var restarted = Stopwatch.StartNew();
            await broker.RestartAsync();
            await WaitUntilAsync(() => running.Session.Status is { Connected: true } s && s.ConnectCount == round, Wait, () => running.Logger.All);
            // Back-off ceiling is 1 s in these options; the broker restart itself takes a moment.
            Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(4), $"reconnect took {restarted.Elapsed}");

            // The broker kept no session (persistence off): only our resubscription makes this arrive. Its log
            // spans all restarts: one SUBSCRIBE per connection, never more.
            await WaitUntilAsync(() => SubscribeLines(broker, serial) == round, Wait, () => broker.Log);
            await broker.PublishAsync(ObserverUser, $"VSR/{serial}/batch", Encoding.UTF8.GetBytes($"round {round}"));
            var inbound = Assert.IsType<InboundPublish>(await ReadAsync(running.Session, Wait));
            Assert.Equal($"round {round}", Encoding.UTF8.GetString(inbound.Payload.Span));
        }

        await Task.Delay(500);
        Assert.False(running.Session.Inbound.TryRead(out var extra), $"unexpected duplicate delivery: {extra}");
        Assert.Equal(3, running.Session.Status.ConnectCount);
        Assert.Equal(3, SubscribeLines(broker, serial));
        Assert.Equal(3, Volatile.Read(ref onConnectedRuns));
    }

    [Fact]
    public async Task Two_sessions_with_one_serial_report_an_identity_conflict_and_do_not_flap()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        var options = Options(serial, broker.Url) with { IdentityConflictBackoff = TimeSpan.FromSeconds(4) };
        await using var first = new Running(options);
        await first.WaitConnectedAsync();
        await using var second = new Running(options);

        await WaitUntilAsync(() => first.Session.Status.IdentityConflict || second.Session.Status.IdentityConflict, Wait,
            () => first.Logger.All + "\n---\n" + second.Logger.All);
        var kicked = first.Session.Status.IdentityConflict ? first : second;
        Assert.Equal(MqttSessionStatus.IdentityConflictText, kicked.Session.Status.LastError);
        Assert.Contains("another device is using this connector's identity", kicked.Logger.All, StringComparison.Ordinal);
        // mosquitto 2.0.11 closes the old connection without flushing its 0x8E DISCONNECT, so what is detected
        // here is the repeated kick right after CONNACK (TakeoverReasonTests covers the 0x8E path).

        var before = first.Session.Status.ConnectCount + second.Session.Status.ConnectCount;
        await Task.Delay(TimeSpan.FromSeconds(8));
        var connects = first.Session.Status.ConnectCount + second.Session.Status.ConnectCount - before;
        // A takeover round is the loser's conflict back-off (at least 2 s, half of 4 s) plus one quick
        // reconnect of the other: at most 2 connects per 2 s, 8 in 8 s. With the ordinary 1 s jittered
        // back-off alone the two would take turns several times a second.
        Assert.InRange(connects, 0, 9);
        Assert.True(first.Session.Status.IdentityConflict || second.Session.Status.IdentityConflict);
    }

    [Fact]
    public async Task Qos1_messages_published_while_the_broker_is_down_are_delivered_in_order_after_it_returns()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var running = new Running(Options(serial, broker.Url));
        await running.WaitConnectedAsync();
        // Published under the session's own filter, so what the broker delivers comes back through the session,
        // which subscribes before it re-sends: nothing can arrive before it listens.
        var echo = $"VSR/{serial}/echo";
        Assert.Equal(MqttPublishOutcome.Acknowledged, await running.Session.PublishAsync($"{echo}/confirm", Encoding.UTF8.GetBytes("c0"), 1, false));
        Assert.Equal("c0", await NextPayloadAsync(running));

        await broker.StopAsync();
        await WaitUntilAsync(() => !running.Session.Status.Connected, Wait, () => running.Logger.All);
        foreach (var payload in new[] { "c1", "c2" })
            Assert.Equal(MqttPublishOutcome.Queued, await running.Session.PublishAsync($"{echo}/confirm", Encoding.UTF8.GetBytes(payload), 1, false));
        // Two retained values while offline: only the newer is worth sending.
        await running.Session.PublishAsync($"{echo}/state", Encoding.UTF8.GetBytes("s-old"), 1, true);
        await running.Session.PublishAsync($"{echo}/state", Encoding.UTF8.GetBytes("s-new"), 1, true);
        await Assert.ThrowsAsync<MqttNotConnectedException>(async () =>
            await running.Session.PublishAsync($"{echo}/keepalive", Encoding.UTF8.GetBytes("k"), 0, false));
        Assert.Equal(3, running.Session.Unacknowledged);

        await broker.StartAsync();
        Assert.Equal(["c1", "c2", "s-new"], [await NextPayloadAsync(running), await NextPayloadAsync(running), await NextPayloadAsync(running)]);
        await WaitUntilAsync(() => running.Session.Unacknowledged == 0, Wait, () => running.Logger.All);
        Assert.Contains("re-sent 3 message(s)", running.Logger.All, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.False(running.Session.Inbound.TryRead(out var extra), $"unexpected extra delivery: {extra}");
    }

    [Fact]
    public async Task A_qos1_publish_the_broker_never_acknowledged_is_sent_again_after_the_reconnect()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var running = new Running(Options(serial, broker.Url));
        await running.WaitConnectedAsync();

        // A frozen broker reads nothing and acknowledges nothing: the publish is in flight, its PUBACK never
        // comes; then the broker dies (SIGKILL) without ever having read it.
        Signal(broker.Pid!.Value, SigStop);
        var inFlight = running.Session.PublishAsync($"VSR/{serial}/echo/confirm", Encoding.UTF8.GetBytes("{\"sequence\":7}"), 1, false);
        await Task.Delay(300);
        Assert.False(inFlight.IsCompleted);
        await broker.StopAsync();
        Assert.Equal(MqttPublishOutcome.Queued, await inFlight);
        Assert.Equal(1, running.Session.Unacknowledged);

        await broker.StartAsync();
        Assert.Equal("{\"sequence\":7}", await NextPayloadAsync(running));
        await WaitUntilAsync(() => running.Session.Unacknowledged == 0, Wait, () => running.Logger.All);
        Assert.Contains("re-sent 1 message(s)", running.Logger.All, StringComparison.Ordinal);
    }

    private static async Task<string> NextPayloadAsync(Running running) =>
        Encoding.UTF8.GetString(Assert.IsType<InboundPublish>(await ReadAsync(running.Session, Wait)).Payload.Span);

    private const int SigStop = 19;

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int SubscribeLines(MosquittoBroker broker, string serial) =>
        broker.Log.Split('\n').Count(l => l.Contains($"{serial} 1 VSR/{serial}/#", StringComparison.Ordinal));
}
