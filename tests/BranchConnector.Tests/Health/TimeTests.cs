using BranchConnector.Agent.Health.Time;

namespace BranchConnector.Tests.Health;

public class TimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Symmetric_exchange_with_synchronised_clocks_has_zero_offset()
    {
        // 20 ms each way, 5 ms processing at the hub.
        Assert.Equal(new TimeOffset(0, 40), TimeOffset.Compute(1_000, 1_020, 1_025, 1_045));
    }

    [Fact]
    public void Hub_clock_7_2_s_ahead_gives_a_positive_offset_and_a_warning()
    {
        const long t0 = 1_767_225_600_000;
        var measured = TimeOffset.Compute(t0, t0 + 10 + 7_200, t0 + 12 + 7_200, t0 + 22);
        Assert.Equal(new TimeOffset(7_200, 20), measured);

        var health = TimeHealth.From(measured, true, Now);
        Assert.True(health.OffsetExceedsThreshold);
        Assert.Equal("clock offset 7.2 s exceeds 5 s", health.Warning);
    }

    [Fact]
    public void Our_clock_7_s_ahead_gives_a_negative_offset_and_a_warning()
    {
        // Our stamps (t0, t3) run 7 s ahead of the hub's (t1, t2).
        var measured = TimeOffset.Compute(8_000, 1_050, 1_060, 8_110);
        Assert.Equal(-7_000, measured.OffsetMs);
        Assert.Equal(100, measured.RttMs);
        Assert.Equal("clock offset -7.0 s exceeds 5 s", TimeHealth.From(measured, null, Now).Warning);
    }

    [Theory]
    [InlineData(5_000, false)]
    [InlineData(-5_000, false)]
    [InlineData(5_001, true)]
    [InlineData(-5_001, true)]
    [InlineData(0, false)]
    public void Warning_threshold_is_strictly_more_than_5_s(long offset, bool warns)
    {
        var health = new TimeHealth(offset, 10, true, Now);
        Assert.Equal(warns, health.Warning is not null);
    }

    [Fact]
    public void Odd_sums_truncate_toward_zero()
    {
        Assert.Equal(new TimeOffset(1, 1), TimeOffset.Compute(0, 2, 2, 1));   // offset 1.5

        Assert.Equal(new TimeOffset(-1, 1), TimeOffset.Compute(1, 0, 0, 2)); // offset -1.5
    }
}
