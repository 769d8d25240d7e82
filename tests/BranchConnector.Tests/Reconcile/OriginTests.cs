using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Hosting.Documents;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Tests.Golden;
using Microsoft.Extensions.Time.Testing;

namespace BranchConnector.Tests.Reconcile;

/// <summary>Origins travel from the documents through the intent into every planned change, and the Confirm counts by them.</summary>
public sealed class OriginTests
{
    [Fact]
    public async Task Every_change_of_a_full_batch_carries_the_topic_and_index_that_asked_for_it()
    {
        var config = PlanCases.FullBatch();
        var plan = ReconcilePlanner.Plan(await PlanCases.IntentAsync(config), PlanCases.Empty, PlanCases.Context(OwnershipRecord.Empty));

        Assert.All(plan.Changes, c => Assert.IsType<TopicOrigin>(c.Origin));
        TopicOrigin Of(Func<PlannedChange, bool> match) => (TopicOrigin)plan.Changes.First(match).Origin!;
        Assert.Equal(new TopicOrigin("interface", 0), Of(c => c.Subsystem == "interface" && c.What.Contains("lan0", StringComparison.Ordinal)));
        Assert.Equal(new TopicOrigin("wireguard", 1), Of(c => c.Subsystem == "interface" && c.What.Contains("wg0", StringComparison.Ordinal)));
        Assert.Equal(new TopicOrigin("wireguard", 1), Of(c => c.What.StartsWith("peer ", StringComparison.Ordinal)));
        Assert.Equal(new TopicOrigin("static", 2), Of(c => c.What.Contains("172.16.0.0/12", StringComparison.Ordinal)));
        Assert.Equal(new TopicOrigin("wireguard", 1), Of(c => c.What.Contains("route 10.0.0.0/8", StringComparison.Ordinal)));
        Assert.Equal(new TopicOrigin("nat44", 3), Of(c => c.What.Contains("BC-POSTROUTING", StringComparison.Ordinal)));
        Assert.Equal(new TopicOrigin("acl", 4), Of(c => c.What.Contains("BC-FORWARD", StringComparison.Ordinal)));
        Assert.Equal(new TopicOrigin("wireguard", 1), Of(c => c.What.Contains("BC-MSS", StringComparison.Ordinal)));

        var confirm = new ConfirmBuilder("BC-1", new FakeTimeProvider()).Applied("batch", 1, "h", DateTimeOffset.UnixEpoch,
            new ReconcileOutcome(plan, new ApplyResult(plan.Commands.Count, null), [], false, null, TimeSpan.Zero),
            new BatchDocument().Units(new DecodedBatch(1, "h", null, config)), []);
        Assert.Equal(plan.Changes.Count(), confirm.Results.Sum(r => r.Changes));
        Assert.All(confirm.Results, r => Assert.True(r.Changes > 0, r.Topic));
    }

    [Fact]
    public async Task Rendered_chains_with_origins_equal_the_same_chains_read_back()
    {
        var intent = await PlanCases.IntentAsync(PlanCases.FullBatch());
        var desired = Agent.Linux.Firewall.FirewallRenderer.Render(intent.Firewall!);

        Assert.All(desired.V4.Chains, c => Assert.Equal(c.Rules.Count, c.RuleOrigins.Count));
        Assert.Equal(desired.V4.Chains, Firewall.SaveText.Observed(desired).V4.Chains);
    }

    [Fact]
    public async Task Peering_peers_and_routes_carry_their_group_and_the_shared_device_the_first_group()
    {
        var member = new PeeringMember("E-1", PlanCases.HubKey, new Endpoint("198.51.100.7", 51821), "10.99.0.2", ["10.40.0.0/16"]);
        var other = new PeeringMember("E-2", PlanCases.PresharedKey, new Endpoint("198.51.100.8", 51821), "10.98.0.2", ["10.41.0.0/16"]);
        var peering = new DesiredPeering(
            [new WireGuardGroup("g-a", "A", "mesh", PeeringRole.MeshPeer, "wg2", "10.99.0.1/24", 51821, 30, [member]),
             new WireGuardGroup("g-b", "B", "mesh", PeeringRole.MeshPeer, "wg2", "10.98.0.1/24", 51821, 30, [other])], []);
        var env = new OfflineIntentEnvironment(new Dictionary<string, string> { [KeyNames.Peering] = PlanCases.OurKey });
        var intent = await IntentBuilder.BuildAsync(DesiredConfig.Empty, peering, env, CancellationToken.None);

        var device = Assert.Single(intent.WgDevices);
        Assert.Equal(new GroupOrigin("g-a"), device.Origin);
        Assert.Equal([new GroupOrigin("g-a"), new GroupOrigin("g-b")], device.Peers.Select(p => p.Origin));
        Assert.Equal(new GroupOrigin("g-b"), Assert.Single(intent.Routes, r => r.Destination == "10.41.0.0/16").Origin);
    }

    [Fact]
    public void A_conflict_names_both_origins_and_the_planner_still_refuses_it()
    {
        var a = new DesiredRoute("10.9.0.0/16", "10.0.0.1", null, null, 254) { Origin = new TopicOrigin("static", 2) };
        var b = a with { Gateway = "10.0.0.2", Origin = new GroupOrigin("g-a") };
        var same = a with { Origin = new GroupOrigin("g-b") };
        var intent = KernelIntent.Empty with { Routes = [a, same, b] };

        var conflict = Assert.Single(IntentConflicts.Find(intent));
        Assert.Equal(new TopicOrigin("static", 2), conflict.FirstOrigin);
        Assert.Equal(new GroupOrigin("g-a"), conflict.SecondOrigin);
        Assert.StartsWith("two different desired routes with the same identity", conflict.Message, StringComparison.Ordinal);
        Assert.Empty(IntentConflicts.Find(KernelIntent.Empty with { Routes = [a, same] }));
        Assert.Throws<ArgumentException>(() => RoutePlanner.Plan([a, b], [], [], []));
    }
}
