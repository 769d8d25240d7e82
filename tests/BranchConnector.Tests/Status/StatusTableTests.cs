using BranchConnector.Agent.Status;
using BranchConnector.Tests.Routes;

namespace BranchConnector.Tests.Status;

public sealed class StatusTableTests
{
    [Fact]
    public void Active_box_renders_the_golden_table() =>
        GoldenText.AssertMatches("status-active.txt", StatusTable.Render(StatusSamples.Active()));

    [Fact]
    public void Snapshot_of_a_fresh_box_says_where_it_comes_from() =>
        GoldenText.AssertMatches("status-snapshot-empty.txt", StatusTable.Render(StatusSamples.Active() with
        {
            Source = StatusSnapshot.FromSnapshot, State = "pending_approval", Config = null, Peering = null, Tunnels = [], Stun = null, Time = null,
            Broker = new BrokerStatusReport(false, null, null, "connection refused"), Warnings = [],
        }));

    [Fact]
    public void A_failed_newest_document_is_shown_with_the_one_the_box_runs() =>
        GoldenText.AssertMatches("status-running-differs.txt", StatusTable.Render(StatusSamples.RunningDiffers()));

    [Theory]
    [InlineData(59, "59s")]
    [InlineData(3725, "1h02m")]
    [InlineData(90061, "1d01h")]
    public void Durations_are_compact(long seconds, string expected) => Assert.Equal(expected, StatusTable.Duration(seconds));
}
