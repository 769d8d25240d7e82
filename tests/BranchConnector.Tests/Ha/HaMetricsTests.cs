using BranchConnector.Agent.Ha;
using BranchConnector.Agent.Metrics;
using BranchConnector.Agent.Health;

namespace BranchConnector.Tests.Ha;

public class HaMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static MetricsInputs Inputs(HaStatePayload? ha) =>
        new("BC-0001", "active", new TunnelsReading([], Now), true, 1, 0, null, null, null, "userspace", "iptables-nft", Now.AddHours(-1)) { Ha = ha };

    private static async Task<string> ScrapeAsync(AgentMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task The_current_state_is_1_the_others_0_and_the_series_go_with_the_topic()
    {
        var metrics = new AgentMetrics();
        metrics.Update(Inputs(new HaStatePayload("BC-0001", "site-42", 42, HaStatePayload.Master, 150, Now, null)), Now);
        var text = await ScrapeAsync(metrics);
        Assert.Contains("branch_connector_ha_state{group=\"site-42\",vrid=\"42\",state=\"master\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_ha_state{group=\"site-42\",vrid=\"42\",state=\"backup\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_ha_state_since_seconds{group=\"site-42\",vrid=\"42\"} " + Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

        metrics.Update(Inputs(null), Now);
        Assert.DoesNotContain("branch_connector_ha_state{", await ScrapeAsync(metrics), StringComparison.Ordinal);
    }
}
