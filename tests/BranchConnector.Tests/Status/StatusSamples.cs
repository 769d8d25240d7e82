using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Status;

namespace BranchConnector.Tests.Status;

internal static class StatusSamples
{
    public static readonly DateTimeOffset T = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static StatusSnapshot Active() => new(
        "BC-0001", "0.1.0", "active", StatusSnapshot.FromDaemon,
        new BrokerStatusReport(true, "mqtts://mqtt1.example.net:8883", T.AddMinutes(-5), null),
        new DocumentStatusReport(42, "0123456789abcdef0123", T.AddMinutes(-4), true, null),
        new DocumentStatusReport(7, "fedcba9876543210", T.AddMinutes(-3), false, "wg1: peer key invalid"),
        [
            new TunnelStatusEntry("wg0", TunnelStatusPayload.Backbone, "active", true, 51820, "pub", "10.255.0.2/32", "203.0.113.1:51820", 1420,
                T.AddSeconds(-12), 12, 123456, 7890, null),
            new TunnelStatusEntry("wgp0", TunnelStatusPayload.Peering, "degraded", true, 51821, null, null, null, null, null, null, null, null,
                [new PeerStatusEntry("BC-0002", "direct", "active", "198.51.100.7:51821", 30, 2048, 4096),
                 new PeerStatusEntry("BC-0003", "down", "down", null, null, 0, 0)]),
        ],
        12, 30, 0,
        new StunReport("203.0.113.10:3478", "198.51.100.2:40000", "endpoint-independent", false, T),
        new TimeReport(7200, 14, true, T),
        "userspace", "iptables-nft", 3725, 2,
        ["clock offset 7.2 s exceeds 5 s"]);

    /// <summary>Batch #43 failed, #42 still runs; peering #7 failed, #6 still runs.</summary>
    public static StatusSnapshot RunningDiffers()
    {
        var config = new DocumentStatusReport(43, "aaaabbbbccccdddd", null, false, "apply_failed: ip -batch - exited 2");
        var peering = new DocumentStatusReport(7, "fedcba9876543210", null, false, "wg1: peer key invalid");
        return Active() with
        {
            Config = config,
            Peering = peering,
            RunningConfig = StatusSnapshot.RunningUnlessNewest(config, new DocumentStatusReport(42, "0123456789abcdef0123", T.AddMinutes(-4), true, null)),
            RunningPeering = StatusSnapshot.RunningUnlessNewest(peering, new DocumentStatusReport(6, "99998888777766665555", T.AddMinutes(-30), true, null)),
        };
    }
}
