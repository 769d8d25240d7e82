using System.Threading.Channels;
using BranchConnector.Agent.Hosting.Northbound;
using BranchConnector.Agent.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BranchConnector.Tests.Hosting;

/// <summary>The northbound publisher owns what was last sent per topic, connected or not.</summary>
public sealed class PublisherTests
{
    [Fact]
    public async Task Remembers_the_last_signature_per_topic_until_forgotten()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var publisher = new Publisher(clock, NullLogger<Publisher>.Instance);

        await publisher.PublishAsync("n/BC/state", [1], 1, true, "online", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3));
        await publisher.PublishAsync("n/BC/inform", [2], 1, false, "i1", CancellationToken.None);
        await publisher.PublishAsync("n/BC/keepalive", [3], 0, false, CancellationToken.None);

        Assert.Equal("online", publisher.LastSent("n/BC/state")?.Signature);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.GetElapsedTime(publisher.LastSent("n/BC/state")!.Timestamp));
        Assert.Equal("i1", publisher.LastSent("n/BC/inform")?.Signature);
        Assert.Null(publisher.LastSent("n/BC/keepalive"));
        Assert.False(publisher.Connected);

        publisher.Forget("n/BC/state");
        Assert.Null(publisher.LastSent("n/BC/state"));
    }

    [Fact]
    public async Task While_offline_only_the_kept_topics_reach_the_session_and_only_at_qos_1()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var publisher = new Publisher(clock, NullLogger<Publisher>.Instance, new HashSet<string> { "n/BC/config/confirm", "n/BC/state" });
        var session = new OfflineSession();
        publisher.Attach(session);

        await publisher.PublishAsync("n/BC/config/confirm", [1], 1, false, CancellationToken.None);
        await publisher.PublishAsync("n/BC/state", [2], 1, true, "online", CancellationToken.None);
        await publisher.PublishAsync("n/BC/tunnel/status", [3], 1, false, "t", CancellationToken.None);
        await publisher.PublishAsync("n/BC/keepalive", [4], 0, false, CancellationToken.None);

        Assert.Equal(["n/BC/config/confirm", "n/BC/state"], session.Published);
        Assert.Equal("t", publisher.LastSent("n/BC/tunnel/status")?.Signature);
    }

    /// <summary>A session whose broker is down: it records what it is handed, as its outbox would keep it.</summary>
    private sealed class OfflineSession : IMqttSession
    {
        public List<string> Published { get; } = [];
        public ChannelReader<InboundMessage> Inbound { get; } = Channel.CreateUnbounded<InboundMessage>().Reader;
        public MqttSessionStatus Status => MqttSessionStatus.Initial;
        public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void SkipWillOnShutdown() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public ValueTask<MqttPublishOutcome> PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken = default)
        {
            Published.Add(topic);
            return ValueTask.FromResult(MqttPublishOutcome.Queued);
        }
    }
}
