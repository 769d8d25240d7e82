using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.Routes;

public class RoutePlannerTests
{
    /// <summary>The desired state that the captured namespace already holds (minus the fwmask rule, which the agent never writes).</summary>
    private static readonly DesiredRoute[] CapturedDesiredRoutes =
    [
        new("0.0.0.0/0", "192.0.2.254", "wan0", 10, 100),
        new("0.0.0.0/0", null, "tun0", null, 51820),
        new("10.20.0.0/16", "192.0.2.1", null, 100, 254),
        new("10.21.0.0/16", null, "lan0", null, 254),
        new("10.22.0.7/32", "192.0.2.1", "wan0", null, 254),
        new("10.30.0.0/16", "10.255.0.1", "tun0", null, 254),
        new("::/0", null, "tun0", null, 51820),
        new("2001:db8:20::/48", "2001:db8::1", "wan0", 300, 254),
        new("2001:db8:21::7/128", null, "lan0", null, 254),
    ];

    private static readonly DesiredRule[] CapturedDesiredRules =
    [
        .. FullTunnel.Plan("tun0", FullTunnel.DefaultFwmark, FullTunnel.DefaultTable, includeIpv6: true).Rules,
        new(5182, "192.168.10.0/24", "10.40.0.0/16", 100, null, false, null, IpFamily.V4),
        new(5183, "192.168.11.5/32", null, 100, null, false, null, IpFamily.V4),
    ];

    private static readonly ObservedRule[] CapturedRulesWithoutFwmask =
        [.. RuleParserTests.CapturedRules().Where(r => r.Unmodeled is null)];

    [Fact]
    public void Same_state_plans_zero_commands()
    {
        var plan = RoutePlanner.Plan(CapturedDesiredRoutes, CapturedDesiredRules, RouteParserTests.CapturedRoutes(), CapturedRulesWithoutFwmask);
        Assert.Empty(plan.Commands);
        Assert.Equal(CapturedDesiredRoutes.Length + CapturedDesiredRules.Length, plan.Unchanged);
    }

    [Fact]
    public void Mixed_changes_against_captured_state_match_golden()
    {
        DesiredRoute[] desired =
        [
            .. CapturedDesiredRoutes.Where(r => r.Destination != "10.21.0.0/16" && r.Destination != "2001:db8:21::7/128"),
            new("10.23.0.0/16", "192.0.2.1", "wan0", 50, 254),
            new("2001:db8:23::/64", null, "lan0", null, 100),
        ];
        desired = [.. desired.Select(r => r.Destination == "10.20.0.0/16" ? r with { Gateway = "192.0.2.9" } : r)];
        var plan = RoutePlanner.Plan(desired, CapturedDesiredRules, RouteParserTests.CapturedRoutes(), RuleParserTests.CapturedRules());
        GoldenText.AssertMatches("plan-mixed.txt", PlanText.Render(plan));
    }

    [Fact]
    public void One_route_added_to_500_is_exactly_one_line()
    {
        var existing = Many(500);
        var observed = existing.Select(r => new ObservedRoute(r.Destination, r.Gateway, r.Device, r.Metric, r.Table, "188")).ToArray();
        var plan = RoutePlanner.Plan([.. existing, new("10.250.0.0/24", null, "lan0", null, 254)], [], observed, []);
        var command = Assert.Single(plan.Commands);
        Assert.Equal("route add 10.250.0.0/24 dev lan0 table 254 proto 188\n", command.Request.Stdin);
        Assert.Equal(ChangeKind.Added, Assert.Single(command.Changes).Kind);
        Assert.Equal(500, plan.Unchanged);
    }

    [Fact]
    public void A_gateway_or_device_change_is_one_replace()
    {
        var observed = new ObservedRoute("10.20.0.0/16", "192.0.2.1", "wan0", 100, 254, "188");
        var plan = RoutePlanner.Plan([new("10.20.0.0/16", "10.255.0.1", "tun0", 100, 254)], [], [observed], []);
        var command = Assert.Single(plan.Commands);
        Assert.Equal("route replace 10.20.0.0/16 via 10.255.0.1 dev tun0 onlink metric 100 table 254 proto 188\n", command.Request.Stdin);
        Assert.Equal(ChangeKind.Changed, Assert.Single(command.Changes).Kind);
    }

    [Fact]
    public void A_metric_change_is_a_new_route_and_the_old_one_removed()
    {
        // The kernel keys routes by (destination, table, metric): metric 200 is another route next to metric 100.
        var observed = new ObservedRoute("10.20.0.0/16", "192.0.2.1", "wan0", 100, 254, "188");
        var plan = RoutePlanner.Plan([new("10.20.0.0/16", "192.0.2.1", "wan0", 200, 254)], [], [observed], []);
        GoldenText.AssertMatches("plan-metric-change.txt", PlanText.Render(plan));
        Assert.Equal(1, plan.ChangeCount(ChangeKind.Added));
        Assert.Equal(1, plan.ChangeCount(ChangeKind.Removed));
    }

    [Fact]
    public void An_owned_route_no_longer_desired_is_deleted_by_key_and_proto()
    {
        var plan = RoutePlanner.Plan([], [], [new("10.22.0.7/32", "192.0.2.1", "wan0", null, 254, "188"), new("2001:db8:21::7/128", null, "lan0", 1024, 254, "188")], []);
        Assert.All(plan.Commands, c => Assert.True(c.IsRemoval));
        Assert.Equal(["ip -batch -", "ip -6 -batch -"], plan.Commands.Select(c => c.Request.CommandLine));
        Assert.Equal("route del 10.22.0.7/32 table 254 metric 0 proto 188\n", plan.Commands[0].Request.Stdin);
        Assert.Equal("route del 2001:db8:21::7/128 table 254 metric 1024 proto 188\n", plan.Commands[1].Request.Stdin);
    }

    [Fact]
    public void Foreign_protocol_routes_never_reach_a_plan()
    {
        // Unfiltered output holds proto static (10.99/16), proto 189 (10.98/16) and kernel routes; the parser
        // keeps only ours, so even an empty desired state plans deletes for proto 188 routes only.
        var observed = RouteParser.Parse(GoldenText.Read("route-v4-all-protocols.json"), IpFamily.V4);
        var plan = RoutePlanner.Plan([], [], observed, []);
        var stdin = string.Concat(plan.Commands.Select(c => c.Request.Stdin));
        Assert.DoesNotContain("10.99.0.0", stdin);
        Assert.DoesNotContain("10.98.0.0", stdin);
        Assert.DoesNotContain("192.0.2.0/24", stdin);
        Assert.Equal(6, plan.ChangeCount(ChangeKind.Removed));
        Assert.All(stdin.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.EndsWith(" proto 188", l));
    }

    [Fact]
    public void A_fresh_full_tunnel_is_routes_then_rules_per_family()
    {
        var tunnel = FullTunnel.Plan("wg0", FullTunnel.DefaultFwmark, FullTunnel.DefaultTable, includeIpv6: true);
        var plan = RoutePlanner.Plan(tunnel.Routes, tunnel.Rules, [], []);
        GoldenText.AssertMatches("plan-full-tunnel.txt", PlanText.Render(plan));
    }

    [Fact]
    public void Desired_text_is_canonicalised_before_comparing()
    {
        var observed = new ObservedRoute("2001:db8:20::/48", "2001:db8::1", "wan0", 1024, 254, "188");
        var plan = RoutePlanner.Plan([new("2001:DB8:20:0::5/48", "2001:db8:0::1", "wan0", null, 254)], [], [observed], []);
        Assert.Empty(plan.Commands);
        Assert.Equal(1, plan.Unchanged);
    }

    [Fact]
    public void Identical_duplicates_collapse_and_conflicting_ones_are_refused()
    {
        var route = new DesiredRoute("10.0.0.0/8", null, "wg0", null, 254);
        Assert.Single(Assert.Single(RoutePlanner.Plan([route, route], [], [], []).Commands).Changes);
        Assert.Throws<ArgumentException>(() => RoutePlanner.Plan([route, route with { Device = "wg1" }], [], [], []));
    }

    [Fact]
    public void A_rule_outside_the_band_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RoutePlanner.Plan([], [new(32765, null, null, 254, null, false, null, IpFamily.V4)], [], []));
    }

    [Fact]
    public void A_band_rule_with_selectors_the_agent_never_sets_is_replaced()
    {
        var plan = RoutePlanner.Plan([], [new(5184, null, null, 100, 0x10, false, null, IpFamily.V4)], [], RuleParserTests.CapturedRules().Where(r => r.Priority == 5184).ToArray());
        Assert.Equal(1, plan.ChangeCount(ChangeKind.Added));
        Assert.Equal(1, plan.ChangeCount(ChangeKind.Removed));
    }

    internal static DesiredRoute[] Many(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DesiredRoute($"10.{100 + i / 256}.{i % 256}.0/24", i % 2 == 0 ? "192.0.2.1" : null, i % 2 == 0 ? null : "lan0", i % 3 == 0 ? 20 : null, i % 5 == 0 ? 100 : 254))];
}
