using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Tests.Hosting;

/// <summary>Relay decisions: direct first, relay after direct_timeout_s of silence, back as soon as traffic grows.</summary>
public sealed class PeeringPathsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private const string KeyB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb=";
    private const string KeyC = "ccccccccccccccccccccccccccccccccccccccccccc=";

    private static readonly DesiredPeering Peering = new(
        [new WireGuardGroup("g1", "mesh", "mesh", PeeringRole.MeshPeer, "wgp0", "10.255.0.1/24", 51821, 30,
            [
                new PeeringMember("B", KeyB, new Endpoint("192.0.2.2", 51821), "10.255.0.2", ["10.2.0.0/24"]),
                new PeeringMember("C", KeyC, null, "10.255.0.3", ["10.3.0.0/24"]),
            ])],
        []);

    private static ObservedWgDevice Device(long rxB) => new("wgp0", null, 51821, 0,
        [new ObservedWgPeer(KeyB, null, "192.0.2.2:51821", ["10.2.0.0/24"], null, rxB, 0, 10)]);

    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    [Fact]
    public void A_fresh_member_stays_direct_within_the_timeout_after_configuration()
    {
        var d = PeeringPaths.Decide(Peering, Device(0), new Dictionary<string, MemberTraffic>(), None, T0, T0.AddSeconds(29));
        Assert.Empty(d.Relayed);
        Assert.Empty(d.Switches);
        Assert.Equal(new MemberTraffic(0, T0), d.Traffic["B"]);
    }

    [Fact]
    public void Silence_beyond_the_timeout_relays_and_says_so_once()
    {
        var first = PeeringPaths.Decide(Peering, Device(100), new Dictionary<string, MemberTraffic>(), None, T0, T0.AddSeconds(31));
        Assert.Equal(["B"], first.Relayed);
        Assert.Contains("relaying through the hub", Assert.Single(first.Switches), StringComparison.Ordinal);

        var again = PeeringPaths.Decide(Peering, Device(100), first.Traffic, first.Relayed, T0, T0.AddSeconds(40));
        Assert.Equal(["B"], again.Relayed);
        Assert.Empty(again.Switches);
    }

    [Fact]
    public void Growing_traffic_brings_a_relayed_member_back_to_direct()
    {
        var relayed = new HashSet<string> { "B" };
        var memory = new Dictionary<string, MemberTraffic> { ["B"] = new(100, T0) };
        var d = PeeringPaths.Decide(Peering, Device(180), memory, relayed, T0, T0.AddSeconds(60));
        Assert.Empty(d.Relayed);
        Assert.Equal(new MemberTraffic(180, T0.AddSeconds(60)), d.Traffic["B"]);
        Assert.Contains("back to direct", Assert.Single(d.Switches), StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_without_endpoint_is_never_switched_and_a_missing_device_counts_as_silence()
    {
        var d = PeeringPaths.Decide(Peering, null, new Dictionary<string, MemberTraffic>(), None, T0, T0.AddMinutes(5));
        Assert.Equal(["B"], d.Relayed);
        Assert.False(d.Traffic.ContainsKey("C"));
    }
}
