using BranchConnector.Agent.Mqtt;

namespace BranchConnector.Tests.Mqtt;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(1000, 60)]
    public void The_ceiling_doubles_from_one_second_up_to_sixty(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ReconnectBackoff.Ceiling(attempt, Min, Max));

    [Fact]
    public void Full_jitter_spans_zero_to_the_ceiling()
    {
        Assert.Equal(TimeSpan.Zero, ReconnectBackoff.Delay(3, Min, Max, 0));
        Assert.Equal(TimeSpan.FromSeconds(4), ReconnectBackoff.Delay(3, Min, Max, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(8), ReconnectBackoff.Delay(3, Min, Max, 1));
    }

    [Fact]
    public void An_identity_conflict_waits_at_least_half_the_long_backoff()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ReconnectBackoff.ConflictDelay(Max, 0));
        Assert.Equal(TimeSpan.FromSeconds(60), ReconnectBackoff.ConflictDelay(Max, 1));
    }
}
