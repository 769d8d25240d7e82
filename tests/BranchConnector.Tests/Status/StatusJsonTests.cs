using System.Text.Json;
using BranchConnector.Agent.Status;

namespace BranchConnector.Tests.Status;

public sealed class StatusJsonTests
{
    [Fact]
    public void Snapshot_uses_the_spec_keys_in_order()
    {
        using var doc = JsonDocument.Parse(StatusJson.Bytes(StatusSamples.Active()));
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["serial", "agent_version", "state", "source", "broker", "config", "peering", "tunnels", "routes", "firewall_rules",
            "xfrm_states", "stun", "time", "wireguard_implementation", "firewall_backend", "uptime_s", "drift_repairs", "warnings", "ha"], keys);
        Assert.Equal(["connected", "url", "since", "last_error"], doc.RootElement.GetProperty("broker").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("broker").GetProperty("last_error").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("config").GetProperty("error").ValueKind);
        Assert.Equal("2026-11-22T09:55:00.000Z", doc.RootElement.GetProperty("broker").GetProperty("since").GetString());
        Assert.Equal("endpoint-independent", doc.RootElement.GetProperty("stun").GetProperty("nat_mapping").GetString());
    }

    [Fact]
    public void Running_documents_appear_only_when_the_newest_is_not_the_applied_one()
    {
        using var doc = JsonDocument.Parse(StatusJson.Bytes(StatusSamples.RunningDiffers()));
        var running = doc.RootElement.GetProperty("running_config");
        Assert.Equal(["sequence", "config_hash", "applied_at"], running.EnumerateObject().Select(p => p.Name));
        Assert.Equal(42, running.GetProperty("sequence").GetInt64());
        Assert.Equal("0123456789abcdef0123", running.GetProperty("config_hash").GetString());
        Assert.Equal("2026-11-22T09:56:00.000Z", running.GetProperty("applied_at").GetString());
        Assert.Equal(6, doc.RootElement.GetProperty("running_peering").GetProperty("sequence").GetInt64());
        Assert.Equal(43, doc.RootElement.GetProperty("config").GetProperty("sequence").GetInt64());

        var applied = new DocumentStatusReport(42, "h", StatusSamples.T, true, null);
        Assert.Null(StatusSnapshot.RunningUnlessNewest(applied, applied));
        Assert.Null(StatusSnapshot.RunningUnlessNewest(applied with { AppliedAt = null, Success = false }, null));
        Assert.NotNull(StatusSnapshot.RunningUnlessNewest(applied with { Sequence = 43, Success = false }, applied));
        var back = StatusJson.ParseSnapshot(StatusJson.Bytes(StatusSamples.RunningDiffers()))!;
        Assert.Equal(42, back.RunningConfig!.Sequence);
    }

    [Fact]
    public void Snapshot_round_trips()
    {
        var original = StatusSamples.Active();
        var back = StatusJson.ParseSnapshot(StatusJson.Bytes(original))!;
        Assert.Equal(StatusJson.Pretty(original), StatusJson.Pretty(back));
    }

    [Fact]
    public void Request_and_reply_lines_are_versioned_single_lines()
    {
        Assert.Equal("""{"v":1,"request":"status","client_version":"0.1.0"}""", StatusJson.Line(new StatusRequest(1, "status", "0.1.0")));
        Assert.Equal("""{"v":1,"ok":false,"error":"nope"}""", StatusJson.Line(StatusReply.Failed("nope")));
        var ok = StatusJson.Line(new StatusReply(1, true, "0.1.0", StatusSamples.Active(), null, null));
        Assert.DoesNotContain('\n', ok);
        Assert.StartsWith("""{"v":1,"ok":true,"agent_version":"0.1.0","status":{"serial":"BC-0001",""", ok, StringComparison.Ordinal);
        Assert.Null(StatusJson.ParseRequest("not json"));
    }
}
