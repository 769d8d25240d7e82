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
        Assert.True(await lab.PingEventuallyAsync(lab.A, lab.B, TimeSpan.FromSeconds(20)), "direct ping failed\n" + lab.A.Agent.Output);
        Assert.True(await lab.PeeringRxAsync(lab.A) > rxBefore, "the ping did not use the peering interface");
        await lab.WaitForPathAsync(lab.A, lab.B.Serial, "direct", TimeSpan.FromSeconds(20));

        // Blocked: both switch to the hub and the ping still works.
        var mark = lab.TestHub.Mark();
        await lab.BlockPeeringUdpAsync();
        await lab.WaitForPathAsync(lab.A, lab.B.Serial, "relayed", TimeSpan.FromSeconds(30), mark);
        await lab.WaitForPathAsync(lab.B, lab.A.Serial, "relayed", TimeSpan.FromSeconds(30), mark);
        Assert.True(await lab.PingEventuallyAsync(lab.A, lab.B, TimeSpan.FromSeconds(15)), "relayed ping failed\n" + lab.A.Agent.Output);

        // Unblocked: back to direct.
        mark = lab.TestHub.Mark();
        await lab.UnblockPeeringUdpAsync();
        await lab.WaitForPathAsync(lab.A, lab.B.Serial, "direct", TimeSpan.FromSeconds(40), mark);
        Assert.Contains("back to direct", lab.A.Agent.Output, StringComparison.Ordinal);
        Assert.True(await lab.PingEventuallyAsync(lab.A, lab.B, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Removing_a_member_leaves_the_other_members_session_alone()
    {
        await using var lab = await PeeringLab.StartAsync();
        await lab.BringUpBackbonesAsync();
        var paperKey = (await Fixtures.Sh.OkAsync("wg", "genkey")).Trim();
        var paperPublic = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.NotEmpty(paperKey);
        var paper = PeeringLab.PaperMember("E-PAPER", paperPublic, "10.77.0.0/16");
        await lab.TestHub.PublishPeeringAsync(lab.A.Serial, lab.PeeringFor(lab.A, lab.B, 1, 30, paper));
        await lab.TestHub.PublishPeeringAsync(lab.B.Serial, lab.PeeringFor(lab.B, lab.A, 1, 30));
        await lab.TestHub.WaitForConfirmAsync(lab.A.Serial, 1, kind: "e2e-peering/confirm");
        await lab.TestHub.WaitForConfirmAsync(lab.B.Serial, 1, kind: "e2e-peering/confirm");
        Assert.True(await lab.PingEventuallyAsync(lab.A, lab.B, TimeSpan.FromSeconds(20)), "direct ping failed\n" + lab.A.Agent.Output);
        var before = await lab.PeeringHandshakesAsync(lab.A);
        Assert.True(before[lab.B.PeeringKey] > 0, "no handshake with B yet");

        await lab.TestHub.PublishPeeringAsync(lab.A.Serial, lab.PeeringFor(lab.A, lab.B, 2, 30));
        var confirm = await lab.TestHub.WaitForConfirmAsync(lab.A.Serial, 2, kind: "e2e-peering/confirm");
        Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString());
        Assert.True(confirm["changes"]!["removed"]!.GetValue<int>() >= 1);

        var after = await lab.PeeringHandshakesAsync(lab.A);
        Assert.False(after.ContainsKey(paperPublic));
        Assert.Equal(before[lab.B.PeeringKey], after[lab.B.PeeringKey]);
        Assert.True(await lab.PingEventuallyAsync(lab.A, lab.B, TimeSpan.FromSeconds(15)));
        Assert.Equal(before[lab.B.PeeringKey], (await lab.PeeringHandshakesAsync(lab.A))[lab.B.PeeringKey]);
    }
}
