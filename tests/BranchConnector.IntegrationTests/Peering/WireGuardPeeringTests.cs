using BranchConnector.IntegrationTests.Lab;

namespace BranchConnector.IntegrationTests.Peering;

public class WireGuardPeeringTests
{
    [Fact]
    public async Task Branches_peer_directly_fall_back_to_the_hub_when_udp_is_blocked_and_come_back()
    {
        await using var lab = await PeeringLab.StartAsync();
        await lab.BringUpBackbonesAsync();
        await lab.TestHub.PublishPeeringAsync(lab.A.Serial, lab.PeeringFor(lab.A, lab.B, 1));
        await lab.TestHub.PublishPeeringAsync(lab.B.Serial, lab.PeeringFor(lab.B, lab.A, 1));
        foreach (var b in new[] { lab.A, lab.B })
        {
            var confirm = await lab.TestHub.WaitForConfirmAsync(b.Serial, 1, kind: "e2e-peering/confirm");
            Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString() + "\n" + b.Agent.Output);
        }

        // Direct: the LAN-to-LAN ping crosses the peering interface.
        var rxBefore = await lab.PeeringRxAsync(lab.A);
        Assert.True(await lab.PingAsync(lab.A, lab.B, 5), "direct ping failed\n" + lab.A.Agent.Output);
        Assert.True(await lab.PeeringRxAsync(lab.A) > rxBefore, "the ping did not use the peering interface");
        await lab.WaitForPathAsync(lab.A, lab.B.Serial, "direct", TimeSpan.FromSeconds(20));

        // Blocked: both switch to the hub and the ping still works.
        var mark = lab.TestHub.Mark();
        await lab.BlockPeeringUdpAsync();
        await lab.WaitForPathAsync(lab.A, lab.B.Serial, "relayed", TimeSpan.FromSeconds(30), mark);
        await lab.WaitForPathAsync(lab.B, lab.A.Serial, "relayed", TimeSpan.FromSeconds(30), mark);
        Assert.True(await lab.PingAsync(lab.A, lab.B, 5), "relayed ping failed\n" + lab.A.Agent.Output);

        // Unblocked: back to direct.
        mark = lab.TestHub.Mark();
        await lab.UnblockPeeringUdpAsync();
        await lab.WaitForPathAsync(lab.A, lab.B.Serial, "direct", TimeSpan.FromSeconds(40), mark);
        Assert.Contains("back to direct", lab.A.Agent.Output, StringComparison.Ordinal);
        Assert.True(await lab.PingAsync(lab.A, lab.B, 3));
    }
}
