using System.Text;
using BranchConnector.Agent.Mqtt;
using BranchConnector.IntegrationTests.Fixtures;
using static BranchConnector.IntegrationTests.Mqtt.MqttTestKit;

namespace BranchConnector.IntegrationTests.Mqtt;

/// <summary>Messages crossing from the MQTT client into the agent: steady flow under GC pressure and the size limit.</summary>
public sealed class MqttSessionInboundTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Messages_keep_flowing_while_the_garbage_collector_runs_continuously()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var running = new Running(Options(serial, broker.Url));
        await running.WaitConnectedAsync();

        using var stopGc = new CancellationTokenSource();
        var collections = 0;
        var gc = Task.Run(() =>
        {
            while (!stopGc.IsCancellationRequested)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                collections++;
            }
        });

        const int count = 2000;
        // The session's own filter covers these topics, so every publish comes back through the callback path.
        for (var i = 0; i < count; i++)
            await running.Session.PublishAsync($"VSR/{serial}/echo/{i}", Encoding.UTF8.GetBytes(new string('x', i % 300) + i), 1, false);

        var seen = new HashSet<string>();
        while (seen.Count < count)
        {
            InboundMessage read;
            try { read = await ReadAsync(running.Session, Wait); }
            catch (OperationCanceledException) { throw new Xunit.Sdk.XunitException($"only {seen.Count} of {count} came back; status {running.Session.Status} unacked {running.Session.Unacknowledged}\n{running.Logger.All}\n{broker.Log}"); }
            var message = Assert.IsType<InboundPublish>(read);
            var index = message.Topic[(message.Topic.LastIndexOf('/') + 1)..];
            Assert.EndsWith(index, Encoding.UTF8.GetString(message.Payload.Span), StringComparison.Ordinal);
            Assert.True(seen.Add(index), $"duplicate {message.Topic}");
        }
        await stopGc.CancelAsync();
        await gc;
        Assert.True(collections > 10, $"only {collections} forced collections ran");
        Assert.True(running.Session.Status.Connected);
    }

    [Fact]
    public async Task A_message_over_one_mebibyte_is_dropped_unread_and_reported_by_topic_and_size()
    {
        var serial = NewSerial();
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = Users(serial) });
        await using var running = new Running(Options(serial, broker.Url));
        await running.WaitConnectedAsync();
        await WaitUntilAsync(() => broker.Log.Contains($"VSR/{serial}/#", StringComparison.Ordinal), Wait, () => broker.Log);

        var oversized = new byte[1024 * 1024 + 1];
        oversized.AsSpan().Fill((byte)'{');
        var atLimit = new byte[1024 * 1024];
        atLimit.AsSpan().Fill((byte)'a');
        await broker.PublishAsync(ObserverUser, $"VSR/{serial}/batch", oversized);
        await broker.PublishAsync(ObserverUser, $"VSR/{serial}/batch", atLimit);

        var dropped = Assert.IsType<InboundTooLarge>(await ReadAsync(running.Session, Wait));
        Assert.Equal($"VSR/{serial}/batch", dropped.Topic);
        Assert.Equal(oversized.Length, dropped.Size);
        var kept = Assert.IsType<InboundPublish>(await ReadAsync(running.Session, Wait));
        Assert.Equal(atLimit.Length, kept.Payload.Length);
        Assert.Equal(1, running.Session.Status.TooLargeDropped);
        Assert.Contains("dropped unread", running.Logger.All, StringComparison.Ordinal);
    }
}
