using BranchConnector.Agent.Health;
using BranchConnector.Agent.Metrics;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Tests.Metrics;

public class AgentMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static TunnelStatusEntry Backbone(string status, long? age, long rx, long tx) =>
        new("wg0", TunnelStatusPayload.Backbone, status, true, 51820, "pub", "hub:51820", "192.0.2.1:51820", 1420,
            age is null ? null : Now.AddSeconds(-age.Value), age, rx, tx, null);

    private static TunnelStatusEntry Peering(params PeerStatusEntry[] peers) =>
        new("wg2", TunnelStatusPayload.Peering, TunnelHealth.Active, true, 51821, "pub2", null, null, 1420, null, null, null, null, peers);

    private static MetricsInputs Inputs(IReadOnlyList<TunnelStatusEntry> tunnels, DateTimeOffset readAt, long? offsetMs = null, string? nat = null, long connects = 1) =>
        new("BC-0001", "active", new TunnelsReading(tunnels, readAt), true, connects, 3, offsetMs, nat, nat is null ? null : false,
            "userspace", "iptables-nft", Now.AddHours(-1));

    private static async Task<string> ScrapeAsync(AgentMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Tunnels_and_members_become_series_with_their_status_path_age_and_bytes()
    {
        var metrics = new AgentMetrics();
        metrics.Update(Inputs([Backbone("active", 4, 1000, 2000),
            Peering(new PeerStatusEntry("E-1", "direct", "active", "198.51.100.7:51821", 2, 300, 400), new PeerStatusEntry("E-2", "relayed", "active", null, null, 0, 0))],
            readAt: Now.AddSeconds(-3), offsetMs: 1500, nat: "endpoint-independent", connects: 3), Now);
        var text = await ScrapeAsync(metrics);

        Assert.Contains("branch_connector_tunnel_status{interface=\"wg0\",kind=\"backbone\",status=\"active\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_tunnel_status{interface=\"wg0\",kind=\"backbone\",status=\"down\"} 0", text, StringComparison.Ordinal);
        // 4 s old when read, read 3 s ago.
        Assert.Contains("branch_connector_tunnel_handshake_age_seconds{interface=\"wg0\",kind=\"backbone\"} 7", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_tunnel_receive_bytes_total{interface=\"wg0\",kind=\"backbone\"} 1000", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_tunnel_transmit_bytes_total{interface=\"wg0\",kind=\"backbone\"} 2000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("branch_connector_tunnel_receive_bytes_total{interface=\"wg2\"", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_peer_path{interface=\"wg2\",peer=\"E-1\",path=\"direct\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_peer_path{interface=\"wg2\",peer=\"E-2\",path=\"relayed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_peer_path{interface=\"wg2\",peer=\"E-2\",path=\"direct\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_peer_handshake_age_seconds{interface=\"wg2\",peer=\"E-1\"} 5", text, StringComparison.Ordinal);
        Assert.DoesNotContain("branch_connector_peer_handshake_age_seconds{interface=\"wg2\",peer=\"E-2\"}", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_peer_receive_bytes_total{interface=\"wg2\",peer=\"E-1\"} 300", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_clock_offset_seconds 1.5", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_nat_mapping{mapping=\"endpoint-independent\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_nat_mapping{mapping=\"endpoint-dependent\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_udp_blocked 0", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_mqtt_connected 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_mqtt_reconnects_total 2", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_drift_repairs_total 3", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_lifecycle_state{state=\"active\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_lifecycle_state{state=\"offline\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_agent_info{serial=\"BC-0001\",wireguard_implementation=\"userspace\",firewall_backend=\"iptables-nft\"} 1", text, StringComparison.Ordinal);
        Assert.Matches("branch_connector_build_info\\{version=\"[^\"]+\",runtime=\"[^\"]+\"\\} 1", text);
        Assert.DoesNotContain("branch_connector_ha", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_values_are_absent_not_zero()
    {
        var metrics = new AgentMetrics();
        metrics.Update(Inputs([Backbone("pending", null, 0, 0)], Now), Now);
        var text = await ScrapeAsync(metrics);
        Assert.DoesNotContain("\nbranch_connector_clock_offset_seconds ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nbranch_connector_udp_blocked ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("branch_connector_nat_mapping{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("branch_connector_tunnel_handshake_age_seconds{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_that_left_and_a_value_that_became_unknown_disappear_from_the_next_scrape()
    {
        var metrics = new AgentMetrics();
        metrics.Update(Inputs([Backbone("active", 1, 10, 10), Peering(new PeerStatusEntry("E-1", "direct", "active", null, 1, 1, 1))], Now, offsetMs: 10), Now);
        Assert.Contains("peer=\"E-1\"", await ScrapeAsync(metrics), StringComparison.Ordinal);

        metrics.Update(Inputs([Backbone("down", null, 10, 10)], Now), Now);
        var text = await ScrapeAsync(metrics);
        Assert.DoesNotContain("peer=\"E-1\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("branch_connector_tunnel_handshake_age_seconds{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nbranch_connector_clock_offset_seconds ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wireguard_counter_that_went_down_starts_over_instead_of_sticking()
    {
        var metrics = new AgentMetrics();
        metrics.Update(Inputs([Backbone("active", 1, 5000, 6000)], Now), Now);
        metrics.Update(Inputs([Backbone("active", 1, 200, 300)], Now), Now);
        var text = await ScrapeAsync(metrics);
        Assert.Contains("branch_connector_tunnel_receive_bytes_total{interface=\"wg0\",kind=\"backbone\"} 200", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_tunnel_transmit_bytes_total{interface=\"wg0\",kind=\"backbone\"} 300", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applies_are_timed_by_trigger_and_confirms_counted_by_error_code()
    {
        var metrics = new AgentMetrics();
        var plan = new ReconcilePlan([], [], 0, OwnershipRecord.Empty, OwnershipRecord.Empty);
        metrics.ObserveApply("batch 42", new ReconcileOutcome(plan, new ApplyResult(0, null), [], false, null, TimeSpan.FromMilliseconds(30)));
        metrics.ObserveApply("batch 43", new ReconcileOutcome(plan, new ApplyResult(0, null), [], false, null, TimeSpan.FromMilliseconds(700)));
        metrics.ObserveApply("drift check", new ReconcileOutcome(plan, new ApplyResult(0, null), [], false, null, TimeSpan.FromMilliseconds(5)));
        metrics.CountConfirm(ConfirmPayload.BatchKind, Confirm(true, null));
        metrics.CountConfirm(ConfirmPayload.BatchKind, Confirm(false, "invalid_value"));
        metrics.CountConfirm(ConfirmPayload.BatchKind, Confirm(false, "invalid_value"));
        metrics.CountConfirm(ConfirmPayload.PeeringKind, Confirm(false, "apply_failed"));
        var text = await ScrapeAsync(metrics);

        Assert.Contains("branch_connector_apply_duration_seconds_count{trigger=\"batch\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_apply_duration_seconds_sum{trigger=\"batch\"} 0.73", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_apply_duration_seconds_bucket{trigger=\"batch\",le=\"0.04\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_apply_duration_seconds_count{trigger=\"drift_check\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_apply_results_total{kind=\"batch\",result=\"success\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_apply_results_total{kind=\"batch\",result=\"invalid_value\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("branch_connector_apply_results_total{kind=\"e2e-peering\",result=\"apply_failed\"} 1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("batch 42", "batch")]
    [InlineData("peering 7", "peering")]
    [InlineData("start-up", "start_up")]
    [InlineData("retire rekeyed SAs", "retire_rekeyed_sas")]
    [InlineData("  ", "other")]
    public void Triggers_collapse_to_one_label_per_kind(string trigger, string label) =>
        Assert.Equal(label, AgentMetrics.TriggerLabel(trigger));

    private static ConfirmPayload Confirm(bool success, string? code) =>
        new("BC-0001", "batch", 1, "h", success, Now, success ? Now : null, 5, ConfirmChanges.None, [],
            code is null ? null : new ConfirmError(code, null, null, "m", null, null, null), false, []);
}
