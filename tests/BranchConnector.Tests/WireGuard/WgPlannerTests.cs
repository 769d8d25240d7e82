using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.WireGuard;

public class WgPlannerTests
{
    private const string OurPublic = "KVNhc15IETvc7G4+6FCb8qCYezs2u2X1iD1tD2Xg+Fc=";
    private const string OurPrivate = "iHfW/pZxn/vwkfde6ax/+V/r1pqpcKtWjCeTt8+DmVU=";
    private const string Hub = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
    private const string Other = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static WgPlanContext Ctx(params string[] links) => new(
        WgImplementation.Userspace, "wireguard-go", links.ToHashSet(), new HashSet<string> { "wg0" },
        _ => new Secret(OurPrivate), Now, TimeSpan.FromSeconds(180));

    private static DesiredWgDevice Desired(params DesiredWgPeer[] peers) => new("wg0", OurPublic, 51820, 0, peers.ToEquatableList());
    private static DesiredWgPeer HubPeer(string endpoint = "203.0.113.10:51820") => new(Hub, null, endpoint, ["10.0.0.0/8"], 25);

    private static ObservedWgDevice Live(params ObservedWgPeer[] peers) => new("wg0", OurPublic, 51820, 0, peers.ToEquatableList());
    private static ObservedWgPeer LiveHub(string endpoint = "203.0.113.10:51820", DateTimeOffset? handshake = null) =>
        new(Hub, null, endpoint, ["10.0.0.0/8"], handshake, 0, 0, 25);

    [Fact]
    public void Missing_device_is_created_then_configured_with_the_key_on_stdin_only()
    {
        var plan = WgPlanner.Plan([Desired(HubPeer())], new Dictionary<string, ObservedWgDevice>(), Ctx());
        var create = Assert.Single(plan.Creates);
        Assert.Equal("wireguard-go wg0", create.Request.CommandLine);
        var sync = Assert.Single(plan.Configures);
        Assert.Equal("wg syncconf wg0 /dev/stdin", sync.Request.CommandLine);
        Assert.Contains(OurPrivate, sync.Request.Stdin, StringComparison.Ordinal);
        Assert.True(sync.Request.StdinIsSecret);
        Assert.DoesNotContain(OurPrivate, sync.Request.DisplayStdin, StringComparison.Ordinal);
        Assert.DoesNotContain(OurPrivate, sync.Request.CommandLine, StringComparison.Ordinal);
        Assert.Empty(plan.Deletes);
    }

    [Fact]
    public void Matching_device_plans_nothing()
    {
        var plan = WgPlanner.Plan([Desired(HubPeer())], new Dictionary<string, ObservedWgDevice> { ["wg0"] = Live(LiveHub()) }, Ctx("wg0"));
        Assert.Empty(plan.Creates);
        Assert.Empty(plan.Configures);
        Assert.Empty(plan.Deletes);
        Assert.Equal(2, plan.Unchanged);
    }

    [Fact]
    public void A_roamed_peer_with_a_fresh_handshake_is_left_alone_but_a_stale_one_is_reset()
    {
        var roamed = new Dictionary<string, ObservedWgDevice> { ["wg0"] = Live(LiveHub("198.51.100.99:4000", Now.AddSeconds(-20))) };
        Assert.Empty(WgPlanner.Plan([Desired(HubPeer())], roamed, Ctx("wg0")).Configures);

        var stale = new Dictionary<string, ObservedWgDevice> { ["wg0"] = Live(LiveHub("198.51.100.99:4000", Now.AddSeconds(-600))) };
        var change = Assert.Single(WgPlanner.Plan([Desired(HubPeer())], stale, Ctx("wg0")).Configures);
        Assert.Equal(ChangeKind.Changed, Assert.Single(change.Changes).Kind);
    }

    [Fact]
    public void Peer_changes_become_one_syncconf_with_one_change_each()
    {
        var live = new Dictionary<string, ObservedWgDevice>
        {
            ["wg0"] = Live(LiveHub(), new ObservedWgPeer(Other, null, null, ["10.9.0.0/16"], null, 0, 0, 0)),
        };
        var desired = Desired(HubPeer() with { AllowedIps = ["10.0.0.0/8", "10.99.0.0/16"] });
        var sync = Assert.Single(WgPlanner.Plan([desired], live, Ctx("wg0")).Configures);
        Assert.Equal(
            ["changed wireguard peer HIgo9xNz… on wg0", "removed wireguard peer xTIBA5rb… on wg0"],
            sync.Changes.Select(c => c.ToString()));
    }

    [Fact]
    public void Owned_device_no_longer_desired_is_deleted_and_foreign_devices_are_not()
    {
        var plan = WgPlanner.Plan([], new Dictionary<string, ObservedWgDevice>(), Ctx("wg0", "wg9"));
        var delete = Assert.Single(plan.Deletes);
        Assert.Equal("ip link del dev wg0", delete.Request.CommandLine);
        Assert.True(delete.IsRemoval);
    }

    [Fact]
    public void Kernel_implementation_creates_a_wireguard_link()
    {
        var ctx = Ctx() with { Implementation = WgImplementation.Kernel };
        var create = Assert.Single(WgPlanner.Plan([Desired()], new Dictionary<string, ObservedWgDevice>(), ctx).Creates);
        Assert.Equal("ip link add dev wg0 type wireguard", create.Request.CommandLine);
    }
}
