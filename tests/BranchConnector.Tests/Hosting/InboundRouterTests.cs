using BranchConnector.Agent.Hosting.Inbound;
using BranchConnector.Agent.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BranchConnector.Tests.Hosting;

/// <summary>The topic table: exact topics, arrival time from the clock, over-sized messages only where handled.</summary>
public sealed class InboundRouterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Messages_reach_the_handler_of_their_topic_with_the_arrival_time()
    {
        var clock = new FakeTimeProvider(T0);
        var seen = new List<string>();
        var router = new InboundRouter(clock, NullLogger.Instance)
            .Route("s/BC/batch", (p, at) => seen.Add($"batch {p.Length} {at:HH:mm:ss}"), (size, at) => seen.Add($"batch too large {size}"))
            .Route("s/BC/time", (p, at) => seen.Add($"time {p.Length}"));

        clock.Advance(TimeSpan.FromSeconds(5));
        router.Dispatch(new InboundPublish("s/BC/batch", new byte[3], 1, false));
        router.Dispatch(new InboundPublish("s/BC/time", new byte[2], 0, false));
        router.Dispatch(new InboundTooLarge("s/BC/batch", 2_000_000, 1, false));

        Assert.Equal(["batch 3 12:00:05", "time 2", "batch too large 2000000"], seen);
    }

    [Fact]
    public void Unknown_topics_and_unhandled_oversized_messages_are_dropped()
    {
        var seen = new List<string>();
        var router = new InboundRouter(TimeProvider.System, NullLogger.Instance)
            .Route("s/BC/time", (p, at) => seen.Add("time"));

        router.Dispatch(new InboundPublish("s/BC/other", new byte[1], 0, false));
        router.Dispatch(new InboundPublish("s/BC/time/extra", new byte[1], 0, false));
        router.Dispatch(new InboundTooLarge("s/BC/time", 2_000_000, 0, false));

        Assert.Empty(seen);
    }

    [Fact]
    public void A_topic_is_registered_once() =>
        Assert.Throws<ArgumentException>(() => new InboundRouter(TimeProvider.System, NullLogger.Instance)
            .Route("t", (_, _) => { }).Route("t", (_, _) => { }));
}
