using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Ha;

/// <summary>
/// The redundant pair end to end (spec: ha, drain/undrain, HaState): real keepalived under each agent, real
/// wireguard-go backbones, the hub's half moving the site's subnet, a LAN host whose gateway is the virtual
/// address. Outage figures are the bench's (scripts/bench.sh); here each step must work.
/// </summary>
public class HaPairTests
{
    [Fact(Skip = "Flaky in the namespace lab (docs/ha.md, Not done): a backup sometimes misses the master's adverts (two masters), and a master's HaState sometimes reaches the hub late; keepalived alone and agents without a backbone elect correctly")]
    public async Task Election_restart_without_transition_drain_undrain_without_flap_and_topic_removal()
    {
        await using var lab = await HaLab.StartAsync();
        await lab.StartPairAsync(preempt: false);
        var master = await lab.MasterAsync();
        var partner = lab.Other(master);
        Assert.Equal("backup", lab.LastHa(partner)?["state"]?.GetValue<string>());
        Assert.Contains(HaLab.VirtualIp + "/24", await lab.LanAddressesAsync(master), StringComparison.Ordinal);
        Assert.DoesNotContain(HaLab.VirtualIp + "/", await lab.LanAddressesAsync(partner), StringComparison.Ordinal);
        Assert.True(await lab.PingOnceAsync(), "no traffic through the master\n" + master.Agent.Output);

        // HaState is carried in status (and TunnelStatus/Inform: the same object).
        var status = JsonNode.Parse(await lab.World.ExecOkAsync(master.Namespace, Fixtures.AgentBinary.Path, "status", "--json", "--config", master.Agent.ConfigFile))!;
        Assert.Equal("master", status["ha"]?["state"]?.GetValue<string>());
        Assert.Equal(42, status["ha"]?["vrid"]?.GetValue<int>());
        var config = File.ReadAllText(Path.Combine(master.Agent.RuntimeDir, "ha", "keepalived.conf"));
        Assert.Contains("vrrp_version 3", config, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(master.Agent.RuntimeDir, "ha", "keepalived.conf")));

        // An agent restart adopts keepalived: no VRRP transition, no new state from either box.
        var keepalivedPid = File.ReadAllText(Path.Combine(master.Agent.RuntimeDir, "ha", "keepalived.pid")).Trim();
        var masterCount = lab.HaCount(master);
        var partnerCount = lab.HaCount(partner);
        await master.Agent.StopAsync();
        master.Agent.Start();
        await master.Agent.WaitForOutputAsync("start-up:", TimeSpan.FromSeconds(60));
        await Task.Delay(2000);
        Assert.Equal(keepalivedPid, File.ReadAllText(Path.Combine(master.Agent.RuntimeDir, "ha", "keepalived.pid")).Trim());
        Assert.Equal("master", lab.LastHa(master)?["state"]?.GetValue<string>());
        Assert.True(lab.HaCount(partner) == partnerCount, $"the partner saw a transition during the agent restart: {lab.LastHa(partner)?.ToJsonString()}");
        Assert.True(lab.TestHub.Messages.Skip(0).Where(m => m.Topic == lab.HaTopic(master)).Skip(masterCount).All(m => JsonNode.Parse(m.Payload)?["state"]?.GetValue<string>() == "master"),
            "the restarted master reported another state");

        // drain: the partner takes over, the hub follows, traffic goes on.
        var ping = lab.StartPing();
        await Task.Delay(1000);
        var mark = lab.TestHub.Mark();
        await lab.TestHub.PublishLifecycleAsync(master.Agent.Serial, "drain", reason: "maintenance");
        await lab.WaitHaAsync(master, "draining", mark);
        await lab.WaitHaAsync(partner, "master", mark);
        Assert.Equal(partner, await lab.MasterAsync());
        await Task.Delay(1000);
        var (sent, received, line) = await ping.StopAsync();
        Assert.True(sent > 50, line);
        // Lost packets on drain are the bench's figure (goal 0); here the site must carry on.
        Assert.True(received >= sent - 10, $"drain lost {sent - received} of {sent}: {line}");
        Assert.DoesNotContain(HaLab.VirtualIp + "/", await lab.LanAddressesAsync(master), StringComparison.Ordinal);

        // Drained survives an agent restart.
        await master.Agent.StopAsync();
        master.Agent.Start();
        await master.Agent.WaitForOutputAsync("start-up:", TimeSpan.FromSeconds(60));
        await Task.Delay(1500);
        Assert.Equal("draining", lab.LastHa(master)?["state"]?.GetValue<string>());
        Assert.Equal("master", lab.LastHa(partner)?["state"]?.GetValue<string>());

        // undrain with preempt false: back to backup, the partner stays master (no flap).
        mark = lab.TestHub.Mark();
        var partnerBefore = lab.HaCount(partner);
        await lab.TestHub.PublishLifecycleAsync(master.Agent.Serial, "undrain");
        await lab.WaitHaAsync(master, "backup", mark);
        await Task.Delay(2000);
        Assert.Equal(partnerBefore, lab.HaCount(partner));
        Assert.Equal("master", lab.LastHa(partner)?["state"]?.GetValue<string>());
        Assert.True(await lab.PingOnceAsync(), "no traffic after undrain");

        // drain on a box without ha is not_allowed, and nothing changes.
        // Removing the topic stops VRRP on the box and releases the virtual address: the other box takes over.
        mark = lab.TestHub.Mark();
        await lab.TestHub.PublishBatchAsync(partner.Agent.Serial, lab.Batch(partner, 2, withHa: false));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(partner.Agent.Serial, 2))["success"]!.GetValue<bool>());
        await lab.WaitHaAsync(partner, "stopped", mark);
        await lab.WaitHaAsync(master, "master", mark);
        Assert.DoesNotContain(HaLab.VirtualIp + "/", await lab.LanAddressesAsync(partner), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(partner.Agent.RuntimeDir, "ha", "keepalived.pid")));
        await lab.TestHub.PublishLifecycleAsync(partner.Agent.Serial, "drain");
        await partner.Agent.WaitForOutputAsync("refused (not_allowed)", TimeSpan.FromSeconds(20));
        Assert.False(File.Exists(Path.Combine(partner.Agent.StateDir, "ha-drained")));
    }

    [Fact(Skip = "Flaky in the namespace lab (docs/ha.md, Not done): a backup sometimes misses the master's adverts (two masters), and a master's HaState sometimes reaches the hub late; keepalived alone and agents without a backbone elect correctly")]
    public async Task Master_killed_hard_partner_takes_over_and_the_hub_follows()
    {
        await using var lab = await HaLab.StartAsync();
        await lab.StartPairAsync();
        var master = await lab.MasterAsync();
        var partner = lab.Other(master);
        Assert.True(await lab.PingOnceAsync(), "no traffic through the master\n" + master.Agent.Output);

        var mark = lab.TestHub.Mark();
        await lab.KillHardAsync(master);
        await lab.WaitHaAsync(partner, "master", mark);
        Assert.Equal(partner, await lab.MasterAsync(dead: master));
        Assert.Contains(HaLab.VirtualIp + "/24", await lab.LanAddressesAsync(partner), StringComparison.Ordinal);
        Assert.True(await lab.PingOnceAsync(), "no traffic after the failover\n" + partner.Agent.Output);
    }
}
