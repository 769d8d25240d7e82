using System.Globalization;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;

namespace BranchConnector.IntegrationTests.Firewall;

/// <summary>Packets through the real kernel: the rules the agent writes do what the acl and nat44 topics say.</summary>
public class FirewallTrafficTests
{
    [Fact]
    public async Task Acl_drop_blocks_the_hub_and_accept_lets_it_through_with_replies()
    {
        await using var w = await TrafficWorld.CreateAsync();
        await w.ListenAsync(w.Lan, 80);
        var fw = new FirewallHarness(w.Router);
        var tunnel = new TunnelInterface(w.Tunnel, 1420);
        Assert.True(await w.ConnectsAsync(w.Hub, TrafficWorld.LanHost, 80));

        // forward_policy drop on the tunnel interface: the hub cannot open a connection to the LAN.
        var dropAll = new FirewallIntent([], new AclSpec(AclAction.Drop, AclAction.Accept, []), [tunnel]);
        await fw.ApplyAsync(dropAll);
        Assert.False(await w.ConnectsAsync(w.Hub, TrafficWorld.LanHost, 80));

        // An accept rule opens it; the reply leaves through the tunnel past "-o tunnel -j DROP" as established traffic.
        var allowWeb = dropAll with
        {
            Acl = dropAll.Acl with { Rules = [Intents.Acl("web", AclChain.Forward, AclAction.Accept, w.Tunnel, null, null, TrafficWorld.LanHost + "/32", "tcp", "80")] },
        };
        await fw.ApplyAsync(allowWeb);
        Assert.True(await w.ConnectsAsync(w.Hub, TrafficWorld.LanHost, 80));

        // A drop rule under an accept policy blocks just that service.
        var dropWeb = new FirewallIntent([], new AclSpec(AclAction.Accept, AclAction.Accept,
            [Intents.Acl("no-web", AclChain.Forward, AclAction.Drop, w.Tunnel, null, null, null, "tcp", "80")]), [tunnel]);
        await fw.ApplyAsync(dropWeb);
        Assert.False(await w.ConnectsAsync(w.Hub, TrafficWorld.LanHost, 80));

        await fw.CleanupAsync();
        Assert.True(await w.ConnectsAsync(w.Hub, TrafficWorld.LanHost, 80));
    }

    [Fact]
    public async Task Reject_answers_tcp_with_a_reset_at_once()
    {
        await using var w = await TrafficWorld.CreateAsync();
        await w.ListenAsync(w.Lan, 80);
        var fw = new FirewallHarness(w.Router);
        await fw.ApplyAsync(new FirewallIntent([], new AclSpec(AclAction.Reject, AclAction.Accept, []), [new TunnelInterface(w.Tunnel, 1420)]));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var r = await w.Netns.ExecAsync(w.Hub, "busybox", "nc", "-w", "5", TrafficWorld.LanHost, "80");
        Assert.False(r.Succeeded);
        Assert.Contains("refused", r.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Dnat_makes_a_lan_service_reachable_at_the_router_address()
    {
        await using var w = await TrafficWorld.CreateAsync();
        await w.ListenAsync(w.Lan, 80);
        var fw = new FirewallHarness(w.Router);
        Assert.False(await w.ConnectsAsync(w.Hub, TrafficWorld.RouterAddress, 8080));

        await fw.ApplyAsync(new FirewallIntent([Intents.Dnat(w.Tunnel, 8080, TrafficWorld.LanHost, 80)], AclSpec.Empty, []));
        Assert.True(await w.ConnectsAsync(w.Hub, TrafficWorld.RouterAddress, 8080));
    }

    [Fact]
    public async Task Masquerade_rewrites_the_lan_source_to_the_router_address()
    {
        // The hub has no route back to the LAN: only a rewritten source can get a reply.
        await using var w = await TrafficWorld.CreateAsync(hubRoutesToLan: false);
        await w.ListenAsync(w.Hub, 7000);
        await w.Netns.ExecOkAsync(w.Hub, "iptables-nft", "-A", "INPUT", "-s", TrafficWorld.RouterAddress + "/32", "-p", "tcp", "--dport", "7000", "-j", "ACCEPT");
        await w.Netns.ExecOkAsync(w.Hub, "iptables-nft", "-A", "INPUT", "-s", TrafficWorld.LanSubnet, "-p", "tcp", "--dport", "7000", "-j", "ACCEPT");
        var fw = new FirewallHarness(w.Router);
        Assert.False(await w.ConnectsAsync(w.Lan, TrafficWorld.HubAddress, 7000));
        var fromLanBefore = await PacketsAsync(w, TrafficWorld.LanSubnet);

        await fw.ApplyAsync(new FirewallIntent([Intents.Masquerade(TrafficWorld.LanSubnet, w.Tunnel)], AclSpec.Empty, []));
        Assert.True(await w.ConnectsAsync(w.Lan, TrafficWorld.HubAddress, 7000));
        Assert.True(await PacketsAsync(w, TrafficWorld.RouterAddress + "/32") > 0);
        Assert.True(fromLanBefore > 0);
        Assert.Equal(fromLanBefore, await PacketsAsync(w, TrafficWorld.LanSubnet));
    }

    /// <summary>Packets the hub's counting rule for <paramref name="source"/> has seen.</summary>
    private static async Task<long> PacketsAsync(TrafficWorld w, string source)
    {
        var save = await w.Netns.ExecOkAsync(w.Hub, "iptables-nft-save", "-c", "-t", "filter");
        var line = save.Split('\n').Single(l => l.Contains($"-A INPUT -s {source} ", StringComparison.Ordinal));
        return long.Parse(line[1..line.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }
}
