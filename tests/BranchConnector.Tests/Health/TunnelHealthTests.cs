using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Tests.Health;

/// <summary>Tunnel health from the live handshake: active, pending after a (re)configuration, down otherwise; peering paths.</summary>
public sealed class TunnelHealthTests
{
    private const string HubKey = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
    private const string MemberKey = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private const string RelayedKey = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly DesiredConfig Config = DesiredConfig.Empty with
    {
        Backbone = new BackboneSpec("wg0", true, ["10.255.0.2/32"], 51820, 1420, HubKind.DedicatedEdge,
            new HubPeer("hub", HubKey, new Endpoint("192.0.2.1", 51820), ["10.0.0.0/8"], 25, null), []),
    };

    private static readonly DesiredPeering Peering = new(
        [new WireGuardGroup("g-a", "A", "mesh", PeeringRole.MeshPeer, "wg2", "10.99.0.1/24", 51821, 30,
            [new PeeringMember("E-1", MemberKey, new Endpoint("198.51.100.7", 51821), null, ["10.40.0.0/16"]),
             new PeeringMember("E-2", RelayedKey, new Endpoint("198.51.100.8", 51821), null, ["10.41.0.0/16"])])], []);

    private static ObservedWgPeer Peer(string key, DateTimeOffset? handshake) => new(key, null, "198.51.100.7:51821", [], handshake, 10, 20, 25);

    private static ObservedLink Link(string name) => new(name, 9, 1420, true, "wireguard", []);

    private static TunnelHealthInput Input(DateTimeOffset? hubHandshake, DateTimeOffset? memberHandshake, DateTimeOffset? configuredAt = null,
        IReadOnlySet<string>? relayed = null, bool withDevices = true) => new(
        Config, Peering,
        withDevices
            ? new Dictionary<string, ObservedWgDevice>
            {
                ["wg0"] = new("wg0", "pub0", 51820, 0, [Peer(HubKey, hubHandshake)]),
                ["wg2"] = new("wg2", "pub2", 51821, 0, [Peer(MemberKey, memberHandshake), Peer(RelayedKey, null)]),
            }
            : new Dictionary<string, ObservedWgDevice>(),
        [Link("wg0"), Link("wg2")], configuredAt, configuredAt, relayed ?? new HashSet<string>(), Now);

    [Fact]
    public void A_handshake_within_the_timeout_is_active_and_its_age_is_reported()
    {
        var tunnels = TunnelHealth.Compute(Input(Now.AddSeconds(-12), Now.AddSeconds(-40)));

        var backbone = tunnels.Single(t => t.Interface == "wg0");
        Assert.Equal(TunnelHealth.Active, backbone.Status);
        Assert.Equal(12, backbone.HandshakeAgeS);
        Assert.Equal("192.0.2.1:51820", backbone.ServerAddress);
        var member = tunnels.Single(t => t.Interface == "wg2").Peers!.Single(p => p.Serial == "E-1");
        Assert.Equal(("direct", TunnelHealth.Active), (member.Path, member.Status));
    }

    [Fact]
    public void No_handshake_yet_is_pending_for_a_timeout_after_configuration_then_down()
    {
        Assert.Equal(TunnelHealth.Pending, TunnelHealth.Compute(Input(null, null, configuredAt: Now.AddSeconds(-10)))[0].Status);
        Assert.Equal(TunnelHealth.Down, TunnelHealth.Compute(Input(null, null, configuredAt: Now.AddSeconds(-181)))[0].Status);
        // An old handshake is down even right after a reconfiguration: only a missing one waits.
        Assert.Equal(TunnelHealth.Down, TunnelHealth.Compute(Input(Now.AddSeconds(-400), null, configuredAt: Now.AddSeconds(-10)))[0].Status);
    }

    [Fact]
    public void A_missing_device_is_down_whatever_the_configuration_says()
    {
        var tunnels = TunnelHealth.Compute(Input(null, null, configuredAt: Now, withDevices: false));

        Assert.All(tunnels, t => Assert.Equal(TunnelHealth.Down, t.Status));
        Assert.All(tunnels.Single(t => t.Interface == "wg2").Peers!, p => Assert.Equal("down", p.Path));
    }

    [Fact]
    public void A_relayed_member_follows_the_backbone()
    {
        var relayed = new HashSet<string> { "E-2" };

        var up = TunnelHealth.Compute(Input(Now.AddSeconds(-5), null, relayed: relayed)).Single(t => t.Interface == "wg2");
        var e2 = up.Peers!.Single(p => p.Serial == "E-2");
        Assert.Equal(("relayed", TunnelHealth.Active), (e2.Path, e2.Status));
        Assert.Equal(TunnelHealth.Active, up.Status);

        var down = TunnelHealth.Compute(Input(Now.AddSeconds(-400), null, relayed: relayed)).Single(t => t.Interface == "wg2");
        Assert.Equal(("down", TunnelHealth.Down), (down.Peers!.Single(p => p.Serial == "E-2").Path, down.Peers!.Single(p => p.Serial == "E-2").Status));
        Assert.Equal(TunnelHealth.Down, down.Status);
    }
}
