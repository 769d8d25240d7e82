using BranchConnector.Agent.Hosting.Northbound;
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
}
