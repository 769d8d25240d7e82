using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Status;

public class ReadyStatusTests
{
    [Fact]
    public async Task An_active_backbone_makes_the_box_ready_and_status_shows_the_live_tunnel()
    {
        await using var lab = await BranchLab.StartAsync();
        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        await StatusCli.WaitForSocketAsync(lab.Agent);
        var notReady = await StatusCli.RunInNamespaceAsync(lab.Branch, "status", "--check", "ready", "--config", lab.Agent.ConfigFile);
        Assert.Equal(1, notReady.ExitCode);

        await lab.AddBranchPeerAtHubAsync(register["public_keys"]!["wg0"]!.GetValue<string>());
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1));
        Assert.True((await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1))["success"]!.GetValue<bool>());
        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp));

        var ready = 1;
        for (var i = 0; i < 40 && ready != 0; i++)
        {
            ready = (await StatusCli.RunInNamespaceAsync(lab.Branch, "status", "--check", "ready", "--config", lab.Agent.ConfigFile)).ExitCode;
            if (ready != 0) await Task.Delay(250);
        }
        Assert.Equal(0, ready);

        var json = await StatusCli.RunInNamespaceAsync(lab.Branch, "status", "--json", "--config", lab.Agent.ConfigFile);
        var status = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.Equal("daemon", status["source"]!.GetValue<string>());
        Assert.Equal("active", status["state"]!.GetValue<string>());
        Assert.Equal(1, status["config"]!["sequence"]!.GetValue<long>());
        var tunnel = status["tunnels"]!.AsArray().Single()!.AsObject();
        Assert.Equal(lab.BackboneIf, tunnel["interface"]!.GetValue<string>());
        Assert.Equal("active", tunnel["status"]!.GetValue<string>());
        Assert.True(status["routes"]!.GetValue<int>() >= 2, json.Stdout);

        var human = await StatusCli.RunInNamespaceAsync(lab.Branch, "status", "--config", lab.Agent.ConfigFile);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains(lab.BackboneIf, human.Stdout, StringComparison.Ordinal);
        Assert.Contains("active", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_agent_leaves_its_last_will_for_the_hub()
    {
        await using var lab = await BranchLab.StartAsync();
        lab.Agent.Start();
        await lab.RegisterAsync();
        await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/state", o => o["online"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(20), "online");
        var mark = lab.TestHub.Mark();
        await lab.Agent.KillAsync();
        var will = await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/state", o => o["online"]?.GetValue<bool>() == false, TimeSpan.FromSeconds(20), "last will", mark);
        Assert.Equal(lab.Serial, will["serial"]!.GetValue<string>());
        Assert.Equal(1, will["v"]!.GetValue<int>());
    }
}
