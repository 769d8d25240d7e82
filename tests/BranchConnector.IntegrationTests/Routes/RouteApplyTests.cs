using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Reconcile;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Routes;

/// <summary>Real `ip -batch` in a namespace: apply, re-observe, re-plan, and leave everything foreign alone.</summary>
public sealed class RouteApplyTests : IAsyncLifetime
{
    private readonly NetnsWorld _world = new();
    private string _ns = "";
    private string _lan = "", _wan = "";
    private LiveRouting _live = null!;

    public async Task InitializeAsync()
    {
        _ns = await _world.AddNamespaceAsync("rt");
        _lan = $"lan{_world.Tag}";
        _wan = $"wan{_world.Tag}";
        await _world.LinkAsync(_ns, _lan, "192.168.10.1/24", _ns, _wan, "192.0.2.2/24");
        await _world.ExecOkAsync(_ns, "ip", "addr", "add", "2001:db8::2/64", "dev", _wan, "nodad");
        // Somebody else's routing state: a main default route, a static route, a route in another table, a rule.
        await _world.ExecOkAsync(_ns, "ip", "route", "add", "default", "via", "192.0.2.254", "proto", "static");
        await _world.ExecOkAsync(_ns, "ip", "route", "add", "10.99.0.0/16", "via", "192.0.2.254", "proto", "static");
        await _world.ExecOkAsync(_ns, "ip", "route", "add", "10.98.0.0/16", "via", "192.0.2.254", "table", "100");
        await _world.ExecOkAsync(_ns, "ip", "-6", "route", "add", "2001:db8:99::/48", "via", "2001:db8::1", "proto", "static");
        await _world.ExecOkAsync(_ns, "ip", "rule", "add", "from", "192.168.12.0/24", "table", "100", "priority", "100");
        _live = new LiveRouting(_world, _ns);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private DesiredRoute[] Many(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DesiredRoute(
            $"10.{100 + i / 256}.{i % 256}.0/24",
            i % 2 == 0 ? "192.0.2.1" : null,
            i % 2 == 0 ? null : _lan,
            i % 3 == 0 ? 20 : null,
            i % 5 == 0 ? 100 : RoutingTables.Main))];

    [Fact]
    public async Task Five_hundred_routes_in_one_process_then_idempotent_add_change_and_full_removal()
    {
        var foreign = await _live.ForeignStateAsync();
        var desired = Many(500);

        var plan = await _live.PlanAsync(desired);
        var mutatingBefore = _live.Processes.SpawnedMutating;
        await _live.ApplyOkAsync(plan);
        Assert.Equal(1, _live.Processes.SpawnedMutating - mutatingBefore);
        Assert.Equal(500, plan.ChangeCount(ChangeKind.Added));
        Assert.Equal(500, (await _live.ObserveAsync()).Routes.Count);

        var again = await _live.PlanAsync(desired);
        Assert.Empty(again.Commands);
        Assert.Equal(500, again.Unchanged);

        desired = [.. desired, new("10.250.0.0/24", "192.0.2.1", _wan, null, RoutingTables.Main)];
        var addOne = await _live.PlanAsync(desired);
        Assert.Equal($"route add 10.250.0.0/24 via 192.0.2.1 dev {_wan} onlink table 254 proto 188\n", Assert.Single(addOne.Commands).Request.Stdin);
        await _live.ApplyOkAsync(addOne);
        Assert.Empty((await _live.PlanAsync(desired)).Commands);

        desired[7] = desired[7] with { Gateway = "192.0.2.3", Device = null };
        var change = await _live.PlanAsync(desired);
        var changed = Assert.Single(change.Commands);
        Assert.StartsWith($"route replace {desired[7].Destination} via 192.0.2.3 ", changed.Request.Stdin);
        Assert.Equal(ChangeKind.Changed, Assert.Single(changed.Changes).Kind);
        await _live.ApplyOkAsync(change);
        Assert.Contains((await _live.ObserveAsync()).Routes, r => r.Destination == desired[7].Destination && r.Gateway == "192.0.2.3" && r.Device == _wan);
        Assert.Empty((await _live.PlanAsync(desired)).Commands);
        Assert.Equal(foreign, await _live.ForeignStateAsync());

        var removeAll = await _live.PlanAsync([]);
        Assert.Equal(501, removeAll.ChangeCount(ChangeKind.Removed));
        Assert.All(removeAll.Commands, c => Assert.True(c.IsRemoval));
        await _live.ApplyOkAsync(removeAll);
        Assert.Empty((await _live.ObserveAsync()).Routes);
        Assert.Equal(foreign, await _live.ForeignStateAsync());
    }

    [Fact]
    public async Task Ipv6_host_default_and_metric_change_round_trip()
    {
        var foreign = await _live.ForeignStateAsync();
        DesiredRoute[] desired =
        [
            new("2001:db8:20::/48", "2001:db8::1", null, 300, RoutingTables.Main),
            new("2001:db8:21::7/128", null, _lan, null, RoutingTables.Main),
            new("::/0", null, _lan, null, 100),
            new("10.22.0.7/32", "192.0.2.1", null, null, RoutingTables.Main),
            new("0.0.0.0/0", "192.0.2.1", _wan, 10, 100),
        ];
        var plan = await _live.PlanAsync(desired);
        Assert.Equal(["ip -batch -", "ip -6 -batch -"], plan.Commands.Select(c => c.Request.CommandLine));
        await _live.ApplyOkAsync(plan);
        Assert.Empty((await _live.PlanAsync(desired)).Commands);

        desired[0] = desired[0] with { Metric = 400 };
        var metric = await _live.PlanAsync(desired);
        Assert.Equal(1, metric.ChangeCount(ChangeKind.Added));
        Assert.Equal(1, metric.ChangeCount(ChangeKind.Removed));
        await _live.ApplyOkAsync(metric);
        var routes = (await _live.ObserveAsync()).Routes;
        Assert.Single(routes, r => r.Destination == "2001:db8:20::/48");
        Assert.Contains(routes, r => r.Destination == "2001:db8:20::/48" && r.Metric == 400);
        Assert.Empty((await _live.PlanAsync(desired)).Commands);

        await _live.ApplyOkAsync(await _live.PlanAsync([]));
        Assert.Empty((await _live.ObserveAsync()).Routes);
        Assert.Equal(foreign, await _live.ForeignStateAsync());
    }

    [Fact]
    public async Task A_route_via_a_missing_device_fails_and_the_failure_names_its_line()
    {
        DesiredRoute[] desired =
        [
            new("10.1.0.0/16", null, _lan, null, RoutingTables.Main),
            new("10.2.0.0/16", "192.0.2.1", null, null, RoutingTables.Main),
            new("10.3.0.0/16", null, "nosuch0", null, RoutingTables.Main),
            new("10.4.0.0/16", null, _lan, null, RoutingTables.Main),
        ];
        var plan = await _live.PlanAsync(desired);
        var failure = await _live.ApplyAsync(plan);
        Assert.NotNull(failure);
        Assert.Equal(3, IpBatchFailure.Parse(failure.Stderr));
        Assert.Equal("route 10.3.0.0/16 dev nosuch0 table 254 metric 0", IpBatchFailure.FailingChange(plan.Commands[0], failure.Stderr)?.What);
        Assert.Equal("route add 10.3.0.0/16 dev nosuch0 table 254 proto 188", IpBatchFailure.FailingLine(failure.Request.Stdin, failure.Stderr));
        // ip -batch stops at the failing line: the lines before it are in, the ones after are not.
        Assert.Equal(["10.1.0.0/16", "10.2.0.0/16"], (await _live.ObserveAsync()).Routes.Select(r => r.Destination).Order());
    }

    [Fact]
    public async Task A_foreign_route_with_the_same_key_is_not_taken_over()
    {
        var plan = await _live.PlanAsync([new("10.99.0.0/16", null, _lan, null, RoutingTables.Main)]);
        var failure = await _live.ApplyAsync(plan);
        Assert.NotNull(failure);
        Assert.Equal(1, IpBatchFailure.Parse(failure.Stderr));
        Assert.Contains("10.99.0.0/16 via 192.0.2.254", await _world.ExecOkAsync(_ns, "ip", "route", "show", "proto", "static"));
    }

    [Fact]
    public async Task Full_tunnel_installs_the_wg_quick_way_and_observes_back_as_matching()
    {
        var tun = $"tun{_world.Tag}";
        await _world.ExecOkAsync(_ns, "ip", "tuntap", "add", "mode", "tun", "name", tun);
        await _world.ExecOkAsync(_ns, "ip", "link", "set", tun, "up");
        var foreign = await _live.ForeignStateAsync();

        var tunnel = FullTunnel.Plan(tun, FullTunnel.DefaultFwmark, FullTunnel.DefaultTable, includeIpv6: true);
        DesiredRoute[] routes = [.. tunnel.Routes, new("10.0.0.0/8", null, tun, null, RoutingTables.Main)];
        await _live.ApplyOkAsync(await _live.PlanAsync(routes, tunnel.Rules));

        var again = await _live.PlanAsync(routes, tunnel.Rules);
        Assert.Empty(again.Commands);
        Assert.Equal(routes.Length + tunnel.Rules.Count, again.Unchanged);
        var rules = await _world.ExecOkAsync(_ns, "ip", "rule", "show");
        Assert.Contains("5180:\tfrom all lookup main suppress_prefixlength 0", rules);
        Assert.Contains("5181:\tnot from all fwmark 0xca6c lookup 51820", rules);
        Assert.Contains($"default dev {tun} proto 188", await _world.ExecOkAsync(_ns, "ip", "-N", "route", "show", "table", "51820"));
        // The main default route (someone else's) is still there and still the main table's default.
        Assert.Equal(foreign, await _live.ForeignStateAsync());

        await _live.ApplyOkAsync(await _live.PlanAsync([], []));
        var empty = await _live.ObserveAsync();
        Assert.Empty(empty.Routes);
        Assert.Empty(empty.Rules);
        Assert.Equal(foreign, await _live.ForeignStateAsync());
    }
}
