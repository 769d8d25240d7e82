using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Interfaces;

/// <summary>Real `ip -batch` on links in a namespace: addresses the agent did not add survive every plan.</summary>
public sealed class InterfaceApplyTests : IAsyncLifetime
{
    private readonly NetnsWorld _world = new();
    private readonly ProcessCommandRunner _processes = new();
    private string _ns = "", _lan = "", _wan = "";
    private ICommandRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _ns = await _world.AddNamespaceAsync("if");
        _lan = $"lan{_world.Tag}";
        _wan = $"wan{_world.Tag}";
        await _world.LinkAsync(_ns, _lan, "192.168.10.1/24", _ns, _wan, "192.0.2.2/24");
        await _world.ExecOkAsync(_ns, "ip", "link", "set", _lan, "down");
        _runner = new NamespacedCommandRunner(_processes, _ns);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<InterfacePlan> PlanAsync(IReadOnlyList<DesiredLinkState> desired, IReadOnlySet<OwnedAddress> owned)
    {
        var observed = await _runner.RunAsync(AddressParser.Request, CancellationToken.None);
        Assert.True(observed.Succeeded, observed.Describe());
        return InterfacePlanner.Plan(desired, AddressParser.Parse(observed.Stdout), owned);
    }

    private async Task ApplyOkAsync(InterfacePlan plan)
    {
        foreach (var command in plan.Plan.Commands)
        {
            var result = await _runner.RunAsync(command.Request, CancellationToken.None);
            Assert.True(result.Succeeded, result.Describe());
        }
    }

    private async Task<string> AddressesAsync(string link) =>
        await _world.ExecOkAsync(_ns, "ip", "-o", "addr", "show", "dev", link, "scope", "global");

    [Fact]
    public async Task Adds_sets_mtu_and_up_then_is_idempotent_and_removes_only_its_own()
    {
        var wanBefore = await AddressesAsync(_wan);
        HashSet<OwnedAddress> owned = [];
        DesiredLinkState[] desired =
        [
            new(_lan, ["192.168.10.1/24", "192.168.20.1/24", "2001:db8:20::1/64"], 1400, SetUp: true),
        ];

        var plan = await PlanAsync(desired, owned);
        Assert.Single(plan.Plan.Commands);
        Assert.Equal(2, plan.Plan.ChangeCount(ChangeKind.Added));
        Assert.Equal(2, plan.Plan.ChangeCount(ChangeKind.Changed));
        Assert.Equal(1, plan.Plan.Unchanged);
        await ApplyOkAsync(plan);
        var owned1 = plan.OwnedAfterApply;
        Assert.Equal([new OwnedAddress(_lan, "192.168.20.1/24"), new OwnedAddress(_lan, "2001:db8:20::1/64")], owned1.OrderBy(o => o.Cidr, StringComparer.Ordinal));

        var again = await PlanAsync(desired, owned1);
        Assert.Empty(again.Plan.Commands);
        Assert.Equal(5, again.Plan.Unchanged);
        var link = await _world.ExecOkAsync(_ns, "ip", "-o", "link", "show", "dev", _lan);
        Assert.Contains("mtu 1400", link);
        Assert.Contains("<BROADCAST,MULTICAST,UP", link);

        // Desired empty: only the two addresses the agent added go; 192.168.10.1 was there before and stays.
        var removal = await PlanAsync([], owned1);
        Assert.Equal(2, removal.Plan.ChangeCount(ChangeKind.Removed));
        await ApplyOkAsync(removal);
        Assert.Empty(removal.OwnedAfterApply);
        var lan = await AddressesAsync(_lan);
        Assert.Contains("192.168.10.1/24", lan);
        Assert.DoesNotContain("192.168.20.1", lan);
        Assert.DoesNotContain("2001:db8:20::1", lan);
        Assert.Equal(wanBefore, await AddressesAsync(_wan));
    }

    [Fact]
    public async Task A_missing_link_is_reported_and_the_rest_still_planned()
    {
        var plan = await PlanAsync([new("nosuch0", ["10.9.9.9/24"], null, false), new(_wan, ["198.51.100.7/24"], null, false)], new HashSet<OwnedAddress>());
        Assert.Equal([new MissingLink("nosuch0")], plan.Problems);
        await ApplyOkAsync(plan);
        Assert.Contains("198.51.100.7/24", await AddressesAsync(_wan));
    }

    [Fact]
    public async Task A_failing_address_line_is_found_by_its_number()
    {
        var plan = await PlanAsync([new(_wan, ["198.51.100.7/24", "198.51.100.8/24"], 100000, false)], new HashSet<OwnedAddress>());
        var command = Assert.Single(plan.Plan.Commands);
        var result = await _runner.RunAsync(command.Request, CancellationToken.None);
        Assert.False(result.Succeeded);
        Assert.Equal(1, IpBatchFailure.Parse(result.Stderr));
        Assert.Equal(ChangeKind.Changed, IpBatchFailure.FailingChange(command, result.Stderr)?.Kind);
    }
}
