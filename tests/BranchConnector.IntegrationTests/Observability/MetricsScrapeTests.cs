using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Lab;
using BranchConnector.IntegrationTests.Status;

namespace BranchConnector.IntegrationTests.Observability;

/// <summary>
/// /metrics of the published binary, scraped with curl inside the branch namespace, checked by promtool, and
/// its values cross-checked with `status --json` taken just before.
/// </summary>
public partial class MetricsScrapeTests
{
    private const string Url = "http://127.0.0.1:9188/metrics";
    private const string PaperSerial = "E-PAPER";

    [Fact]
    public async Task A_scrape_passes_promtool_and_agrees_with_status()
    {
        await using var lab = await BranchLab.StartAsync(extraYaml: "metrics: { listen: \"127.0.0.1:9188\" }\n");
        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        await lab.Agent.WaitForOutputAsync($"metrics: serving Prometheus text format at {Url}", TimeSpan.FromSeconds(30));
        await lab.AddBranchPeerAtHubAsync(register["public_keys"]!["wg0"]!.GetValue<string>());
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1))["success"]!.GetValue<bool>());
        var bad = lab.BackboneBatch(2);
        bad["config_hash"] = new string('0', 64);
        await lab.TestHub.PublishBatchAsync(lab.Serial, bad);
        Assert.Equal("hash_mismatch", (await lab.TestHub.WaitForConfirmAsync(lab.Serial, 2))["error"]!["code"]!.GetValue<string>());
        await lab.TestHub.PublishPeeringAsync(lab.Serial, PaperPeering(lab));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1, kind: "e2e-peering/confirm"))["success"]!.GetValue<bool>());
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp));

        // Settle: backbone active and the silent member relayed through the hub.
        JsonObject status = null!;
        for (var i = 0; i < 80; i++)
        {
            status = await StatusAsync(lab);
            if (Backbone(status, lab)["status"]!.GetValue<string>() == "active" && Member(status)["path"]!.GetValue<string>() == "relayed") break;
            await Task.Delay(250);
        }
        var text = await ScrapeAsync(lab);

        var check = await RunWithStdinAsync("promtool", text, "check", "metrics");
        Assert.True(check.ExitCode == 0, $"promtool: {check.Stdout}{check.Stderr}\n{text}");

        var series = Parse(text);
        var backbone = Backbone(status, lab);
        var bb = $"interface=\"{lab.BackboneIf}\",kind=\"backbone\"";
        Assert.Equal(1, series[$"branch_connector_tunnel_status{{{bb},status=\"{backbone["status"]!.GetValue<string>()}\"}}"]);
        var rx = series[$"branch_connector_tunnel_receive_bytes_total{{{bb}}}"];
        Assert.InRange(rx, backbone["rx_bytes"]!.GetValue<long>(), backbone["rx_bytes"]!.GetValue<long>() + 100_000);
        var tx = series[$"branch_connector_tunnel_transmit_bytes_total{{{bb}}}"];
        Assert.InRange(tx, backbone["tx_bytes"]!.GetValue<long>(), backbone["tx_bytes"]!.GetValue<long>() + 100_000);
        var age = series[$"branch_connector_tunnel_handshake_age_seconds{{{bb}}}"];
        Assert.InRange(age, 0, backbone["handshake_age_s"]!.GetValue<long>() + 30);

        var member = Member(status);
        var peering = status["tunnels"]!.AsArray().Single(t => t!["kind"]!.GetValue<string>() == "peering")!["interface"]!.GetValue<string>();
        var peer = $"interface=\"{peering}\",peer=\"{PaperSerial}\"";
        Assert.Equal(1, series[$"branch_connector_peer_path{{{peer},path=\"{member["path"]!.GetValue<string>()}\"}}"]);
        Assert.Equal(1, series[$"branch_connector_peer_status{{{peer},status=\"{member["status"]!.GetValue<string>()}\"}}"]);
        Assert.Equal(member["rx_bytes"]!.GetValue<long>(), series[$"branch_connector_peer_receive_bytes_total{{{peer}}}"]);
        Assert.False(series.ContainsKey($"branch_connector_peer_handshake_age_seconds{{{peer}}}"), "a member that never answered has no handshake age");

        Assert.Equal(1, series[$"branch_connector_lifecycle_state{{state=\"{status["state"]!.GetValue<string>()}\"}}"]);
        Assert.Equal(status["broker"]!["connected"]!.GetValue<bool>() ? 1 : 0, series["branch_connector_mqtt_connected"]);
        Assert.Equal(0, series["branch_connector_mqtt_reconnects_total"]);
        Assert.Equal(status["drift_repairs"]!.GetValue<long>(), series["branch_connector_drift_repairs_total"]);
        Assert.Equal(1, series["branch_connector_apply_results_total{kind=\"batch\",result=\"success\"}"]);
        Assert.Equal(1, series["branch_connector_apply_results_total{kind=\"batch\",result=\"hash_mismatch\"}"]);
        Assert.Equal(1, series["branch_connector_apply_results_total{kind=\"e2e-peering\",result=\"success\"}"]);
        Assert.True(series["branch_connector_apply_duration_seconds_count{trigger=\"batch\"}"] >= 1, text);
        Assert.True(series["branch_connector_apply_duration_seconds_count{trigger=\"start_up\"}"] >= 1, text);
        Assert.Contains($"branch_connector_build_info{{version=\"{status["agent_version"]!.GetValue<string>()}\"", text, StringComparison.Ordinal);
        Assert.Contains($"branch_connector_agent_info{{serial=\"{lab.Serial}\",wireguard_implementation=\"{status["wireguard_implementation"]!.GetValue<string>()}\",firewall_backend=\"{status["firewall_backend"]!.GetValue<string>()}\"}} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("branch_connector_ha", text, StringComparison.Ordinal);

        // Only /metrics is served.
        var other = await lab.World.ExecAsync(lab.Branch, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:9188/");
        Assert.Equal("404", other.Stdout.Trim());
    }

    private static JsonObject PaperPeering(BranchLab lab) => TestHub.Peering(1, new JsonArray(new JsonObject
    {
        ["id"] = "pg-1", ["name"] = "lab", ["protocol"] = "wireguard", ["topology"] = "mesh", ["role"] = "mesh-peer",
        ["interface"] = $"wgp{lab.World.Tag}", ["tunnel_address"] = "10.250.0.2/24", ["listen_port"] = 51821, ["direct_timeout_s"] = 3,
        ["members"] = new JsonArray(PeeringLab.PaperMember(PaperSerial, Convert.ToBase64String(new byte[32] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 }), "10.60.0.0/16")),
    }));

    private static JsonObject Backbone(JsonObject status, BranchLab lab) =>
        status["tunnels"]!.AsArray().Single(t => t!["interface"]!.GetValue<string>() == lab.BackboneIf)!.AsObject();

    private static JsonObject Member(JsonObject status) =>
        status["tunnels"]!.AsArray().Where(t => t!["peers"] is JsonArray).SelectMany(t => t!["peers"]!.AsArray()).Single(p => p!["serial"]!.GetValue<string>() == PaperSerial)!.AsObject();

    private static async Task<JsonObject> StatusAsync(BranchLab lab)
    {
        var r = await StatusCli.RunInNamespaceAsync(lab.Branch, "status", "--json", "--config", lab.Agent.ConfigFile);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return JsonNode.Parse(r.Stdout)!.AsObject();
    }

    private static async Task<string> ScrapeAsync(BranchLab lab)
    {
        var r = await lab.World.ExecAsync(lab.Branch, "curl", "-sf", Url);
        Assert.True(r.ExitCode == 0, $"curl exit {r.ExitCode}: {r.Stderr}\n{lab.Agent.Output}");
        return r.Stdout;
    }

    /// <summary>"name{labels} value" lines by "name{labels}".</summary>
    private static Dictionary<string, double> Parse(string text) =>
        SampleLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    private static async Task<BranchConnector.Agent.Tools.CommandResult> RunWithStdinAsync(string file, string stdin, params string[] args) =>
        await new BranchConnector.Agent.Tools.ProcessCommandRunner().RunAsync(new BranchConnector.Agent.Tools.CommandRequest(file, args) { Stdin = stdin }, CancellationToken.None);

    [GeneratedRegex(@"(?m)^([a-z_]+(?:\{[^}]*\})?) (\S+)$")]
    private static partial Regex SampleLine();
}
