using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Batch;

public class BackboneTunnelTests
{
    [Fact]
    public async Task A_batch_brings_the_backbone_up_and_the_lan_reaches_the_hub()
    {
        await using var lab = await BranchLab.StartAsync();
        lab.Agent.Start();
        var register = await lab.RegisterAsync();
        var backboneKey = register["public_keys"]!["wg0"]!.GetValue<string>();
        await lab.AddBranchPeerAtHubAsync(backboneKey);

        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1));
        var confirm = await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1);
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString() + "\n" + lab.Agent.Output);
        Assert.Equal("batch", confirm["kind"]!.GetValue<string>());

        Assert.True(await lab.PingFromLanAsync(BranchLab.DataCentreIp, 5), "LAN host cannot reach the data centre through the tunnel\n" + lab.Agent.Output);

        // Inform follows the change at once, not only every inform_interval_s (60 s here).
        var inform = await lab.TestHub.WaitForAsync($"VSRE/{lab.Serial}/inform",
            o => o["last_config"]?["sequence"]?.GetValue<long>() == 1, TimeSpan.FromSeconds(10), "inform with the applied batch");
        Assert.True(inform["last_config"]!["success"]!.GetValue<bool>());
        var dump = await lab.BranchAsync("wg", "show", lab.BackboneIf, "dump");
        Assert.Contains(lab.HubPublicKey, dump, StringComparison.Ordinal);

        // The same batch again: nothing changes.
        await lab.TestHub.PublishBatchAsync(lab.Serial, lab.BackboneBatch(1));
        var again = await lab.TestHub.WaitForConfirmAsync(lab.Serial, 1, occurrence: 2);
        Assert.True(again["success"]!.GetValue<bool>());
        Assert.Equal(0, again["changes"]!["added"]!.GetValue<int>() + again["changes"]!["removed"]!.GetValue<int>() + again["changes"]!["changed"]!.GetValue<int>());
    }
}
