using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Lifecycle;

public class LifecycleTests
{
    private static Task<JsonObject> StateAsync(BranchLab lab, string state, int after = 0, int seconds = 30) =>
        lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/state", o => o["state"]?.GetValue<string>() == state, TimeSpan.FromSeconds(seconds), "state " + state, after);

    [Fact]
    public async Task The_whole_lifecycle_over_mqtt()
    {
        await using var lab = await BranchLab.StartAsync();
        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        var state = await StateAsync(lab, "pending_approval");
        Assert.True(state["online"]!.GetValue<bool>());

        await lab.TestHub.PublishLifecycleAsync(lab.Serial, "approve");
        await StateAsync(lab, "approved");

        await lab.AddBranchPeerAtHubAsync(register["public_keys"]!["wg0"]!.GetValue<string>());
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1))["success"]!.GetValue<bool>());
        await StateAsync(lab, "active", seconds: 40);

        // rotate_keys: a new backbone key in Register; the tunnel handshakes again once the hub has it.
        var mark = lab.TestHub.Mark();
        await lab.TestHub.PublishLifecycleAsync(lab.Serial, "rotate_keys");
        var rotated = await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/register", _ => true, TimeSpan.FromSeconds(30), "new register", mark);
        // Keys are published under the interface the batch named.
        var newKey = rotated["public_keys"]![lab.BackboneIf]!.GetValue<string>();
        Assert.NotEqual(register["public_keys"]!["wg0"]!.GetValue<string>(), newKey);
        await lab.World.ExecOkAsync(lab.Hub, "wg", "set", lab.HubWg, "peer", register["public_keys"]!["wg0"]!.GetValue<string>(), "remove");
        await lab.AddBranchPeerAtHubAsync(newKey);
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp, 5), "no traffic after the key rotation\n" + lab.Agent.Output);

        // decommission: everything owned goes, keys go, State says so, and run refuses afterwards.
        mark = lab.TestHub.Mark();
        await lab.TestHub.PublishLifecycleAsync(lab.Serial, "decommission");
        await StateAsync(lab, "decommissioned", mark);
        var exit = await WaitForExitAsync(lab.Agent);
        Assert.Equal(6, exit);
        // What a hub that subscribes later sees: the retained State stays "decommissioned", not the will.
        await using (var late = await MqttObserver.StartAsync(lab.Broker, TestHub.User, $"VSRE/{lab.Serial}/state"))
        {
            var retained = JsonNode.Parse((await late.WaitForAsync(m => m.Retained, TimeSpan.FromSeconds(10), "retained state")).Payload)!;
            Assert.Equal("decommissioned", retained["state"]!.GetValue<string>());
            Assert.False(retained["online"]!.GetValue<bool>());
        }
        var links = await lab.BranchAsync("ip", "-o", "link");
        Assert.DoesNotContain(lab.BackboneIf, links, StringComparison.Ordinal);
        Assert.Empty((await lab.BranchAsync("ip", "route", "show", "table", "all", "proto", "188")).Trim());
        Assert.False(Directory.Exists(Path.Combine(lab.Agent.StateDir, "keys")) && Directory.EnumerateFiles(Path.Combine(lab.Agent.StateDir, "keys")).Any());
        Assert.False(File.Exists(Path.Combine(lab.Agent.StateDir, "batch.json")));

        lab.Agent.Start();
        Assert.Equal(6, await WaitForExitAsync(lab.Agent));
        Assert.Contains("decommissioned", lab.Agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_arrive_at_the_configured_intervals_with_every_field()
    {
        await using var lab = await BranchLab.StartAsync();
        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        using var answering = new CancellationTokenSource();
        var timeAnswers = lab.TestHub.AnswerTimeRequestsAsync(lab.Serial, 7000, answering.Token);
        await lab.AddBranchPeerAtHubAsync(register["public_keys"]!["wg0"]!.GetValue<string>());
        var monitoring = new JsonObject { ["tunnel_status_interval_s"] = 2, ["keepalive_interval_s"] = 1, ["inform_interval_s"] = 2, ["handshake_timeout_s"] = 6 };
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1, ("monitoring", monitoring)));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1))["success"]!.GetValue<bool>());

        var mark = lab.TestHub.Mark();
        await Task.Delay(TimeSpan.FromSeconds(7));
        var keepalives = lab.TestHub.Messages.Skip(mark).Count(m => m.Topic == $"VSRE/{lab.Serial}/keepalive");
        Assert.InRange(keepalives, 4, 10);

        var active = await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/tunnel/status",
            o => o["tunnels"]![0]!["status"]?.GetValue<string>() == "active", TimeSpan.FromSeconds(20), "active backbone");
        var tunnel = active["tunnels"]![0]!.AsObject();
        foreach (var field in new[] { "interface", "kind", "status", "enabled", "listen_port", "public_key", "server_address", "endpoint_host", "mtu", "latest_handshake_at", "handshake_age_s", "rx_bytes", "tx_bytes" })
            Assert.True(tunnel.ContainsKey(field), $"TunnelStatus lacks {field}: {active.ToJsonString()}");

        var inform = await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/inform",
            o => o["time"] is JsonObject t && t["offset_ms"] is not null, TimeSpan.FromSeconds(20), "inform with a time offset");
        foreach (var field in new[] { "hostname", "os", "kernel", "private_ips", "wireguard_implementation", "firewall_backend", "lan_subnets", "uptime_s", "last_config", "drift_repairs" })
            Assert.True(inform.ContainsKey(field), $"Inform lacks {field}");
        Assert.InRange(inform["time"]!["offset_ms"]!.GetValue<long>(), 6000, 8000);
        Assert.Equal("userspace", inform["wireguard_implementation"]!.GetValue<string>());
        Assert.Contains(inform["private_ips"]!.AsArray(), ip => ip!.GetValue<string>() == BranchLab.BranchWan);
        await lab.Agent.WaitForOutputAsync("clock offset 7", TimeSpan.FromSeconds(10));

        // doctor reads the offset the daemon measured and warns about it.
        var doctor = await Status.StatusCli.RunInNamespaceAsync(lab.Branch, "doctor", "--json", "--config", lab.Agent.ConfigFile);
        var clock = JsonNode.Parse(doctor.Stdout)!["checks"]!.AsArray().OfType<JsonObject>().Single(c => c["check"]!.GetValue<string>() == "clock offset");
        Assert.Equal("warn", clock["verdict"]!.GetValue<string>());
        var seconds = double.Parse(clock["detail"]!.GetValue<string>().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 6.0, 8.0);

        // The hub goes away: the backbone turns down after handshake_timeout_s.
        await lab.World.ExecOkAsync(lab.Hub, "ip", "link", "set", lab.HubWg, "down");
        await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/tunnel/status",
            o => o["tunnels"]![0]!["status"]?.GetValue<string>() == "down", TimeSpan.FromSeconds(40), "down backbone");
        await answering.CancelAsync();
        await timeAnswers;
    }

    [Fact]
    public async Task A_tunnel_never_answered_is_pending_then_down()
    {
        await using var lab = await BranchLab.StartAsync();
        lab.Agent.Start();
        await lab.RegisterAsync();
        // The hub never learns the branch's key: no handshake ever.
        var monitoring = new JsonObject { ["tunnel_status_interval_s"] = 1, ["handshake_timeout_s"] = 5 };
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1, ("monitoring", monitoring)));
        await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1);
        await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/tunnel/status", o => o["tunnels"]![0]!["status"]?.GetValue<string>() == "pending", TimeSpan.FromSeconds(10), "pending");
        await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/tunnel/status", o => o["tunnels"]![0]!["status"]?.GetValue<string>() == "down", TimeSpan.FromSeconds(20), "down");
    }

    private static async Task<int> WaitForExitAsync(AgentProcess agent)
    {
        for (var i = 0; i < 200 && agent.ExitCode is null; i++) await Task.Delay(100);
        return agent.ExitCode ?? throw new TimeoutException("agent did not exit\n" + agent.Output);
    }
}
