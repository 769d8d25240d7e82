using System.Net.Sockets;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Health;

namespace BranchConnector.IntegrationTests.Xfrm;

/// <summary>
/// Real `ip xfrm` in a namespace on this kernel, which has xfrm (policies install) but no ESP (state adds fail):
/// policies apply and read back with zero diff, foreign policies stay untouched, the SA failure is named.
/// </summary>
public sealed class XfrmApplyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly NetnsWorld _world = new();
    private readonly ProcessCommandRunner _processes = new();
    private string _ns = "";
    private ICommandRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _ns = await _world.AddNamespaceAsync("xf");
        _runner = new NamespacedCommandRunner(_processes, _ns);
        // Somebody else's IPSec: an IKE daemon's policies and a bare manual one, none in the agent's band.
        await _world.ExecOkAsync(_ns, "ip", "xfrm", "policy", "add", "src", "192.168.99.0/24", "dst", "10.99.0.0/16", "dir", "out",
            "priority", "379519", "tmpl", "src", "198.51.100.2", "dst", "198.51.100.77", "proto", "esp", "reqid", "1", "mode", "tunnel");
        await _world.ExecOkAsync(_ns, "ip", "xfrm", "policy", "add", "src", "10.99.0.0/16", "dst", "192.168.99.0/24", "dir", "in",
            "tmpl", "src", "198.51.100.77", "dst", "198.51.100.2", "proto", "esp", "reqid", "1", "mode", "tunnel");
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static IpsecLink Link(string id, string remote, string[] local, string[] remoteSubnets, uint spi, char keyDigit) =>
        new(id, "E-" + id, remote, 4500, local.ToEquatableList(), remoteSubnets.ToEquatableList(),
            new IpsecSa(spi, new Secret(new string(keyDigit, 72))), new IpsecSa(spi + 1, new Secret(new string((char)(keyDigit + 1), 72))));

    private static DesiredPeering Peering(params IpsecLink[] links) =>
        new([], [new IpsecGroup("pg-2", "dc-links", "mesh", PeeringRole.MeshPeer, 4500, "198.51.100.2", links.ToEquatableList())]);

    private async Task<string> ForeignPoliciesAsync() => await _world.ExecOkAsync(_ns, "ip", "xfrm", "policy", "list", "priority", "379519")
        + await _world.ExecOkAsync(_ns, "ip", "xfrm", "policy", "list", "priority", "0");

    private async Task<CommandResult> RunAsync(SubsystemPlan plan, bool removals)
    {
        CommandResult? last = null;
        foreach (var command in plan.Commands.Where(c => c.IsRemoval == removals))
        {
            last = await _runner.RunAsync(command.Request, CancellationToken.None);
            if (!last.Succeeded) return last;
        }
        return last ?? new CommandResult(CommandRequest.Of("true"), 0, "", "", TimeSpan.Zero, false);
    }

    [Fact]
    public async Task Policies_apply_read_back_with_zero_diff_and_leave_foreign_policies_alone_while_sa_adds_are_named_esp_failures()
    {
        var foreign = await ForeignPoliciesAsync();
        Assert.Contains("198.51.100.77", foreign);
        var peering = Peering(
            Link("l-1", "198.51.100.9", ["192.168.10.0/24"], ["10.40.0.0/16"], 0xc001, 'a'),
            Link("l-2", "203.0.113.7", ["192.168.10.0/24", "192.168.11.0/24"], ["10.50.0.0/16", "10.51.0.0/24"], 0xd001, 'c'));
        var observer = new XfrmObserver(_runner);

        var plan = XfrmPlanner.Plan(peering, await observer.ObserveAsync(CancellationToken.None), [], Now);
        Assert.Equal(4, plan.States.ChangeCount(ChangeKind.Added));
        Assert.Equal(15, plan.Policies.ChangeCount(ChangeKind.Added));

        // States first, as the caller runs them: on this kernel the add fails and is reported by name, not as netlink noise.
        var states = await RunAsync(plan.States, removals: false);
        Assert.False(states.Succeeded);
        var message = EspSupport.ExplainFailure(states.Stderr);
        Assert.NotNull(message);
        Assert.StartsWith("kernel lacks ESP support (esp4)", message);
        Assert.DoesNotContain(new string('a', 72), states.Describe());

        // The policies still apply, in one process, and read back as exactly what was planned.
        var mutating = _processes.SpawnedMutating;
        Assert.True((await RunAsync(plan.Policies, removals: false)).Succeeded);
        Assert.Equal(1, _processes.SpawnedMutating - mutating);
        var observed = await observer.ObserveAsync(CancellationToken.None);
        Assert.Equal(15, observed.Policies.Count);
        Assert.Empty(observed.States);
        var again = XfrmPlanner.Plan(peering, observed, [], Now);
        Assert.Empty(again.Policies.Commands);
        Assert.Equal(15, again.Policies.Unchanged);
        Assert.Equal(foreign, await ForeignPoliciesAsync());

        // A link dropped: its 12 policies go, the other link's 3 and the foreign ones stay.
        var smaller = XfrmPlanner.Plan(Peering(peering.IpsecGroups[0].Links[0]), observed, [], Now);
        Assert.Equal(12, smaller.Policies.ChangeCount(ChangeKind.Removed));
        Assert.True((await RunAsync(smaller.Policies, removals: true)).Succeeded);
        Assert.Equal(3, (await observer.ObserveAsync(CancellationToken.None)).Policies.Count);

        // Cleanup removes everything in the band and nothing else.
        var cleanup = XfrmPlanner.PlanCleanup(await observer.ObserveAsync(CancellationToken.None));
        Assert.True((await RunAsync(cleanup.Policies, removals: true)).Succeeded);
        Assert.Empty((await observer.ObserveAsync(CancellationToken.None)).Policies);
        Assert.Equal(foreign, await ForeignPoliciesAsync());
    }

    [Fact]
    public async Task A_foreign_policy_on_the_same_selector_is_not_taken_over()
    {
        await _world.ExecOkAsync(_ns, "ip", "xfrm", "policy", "add", "src", "192.168.10.0/24", "dst", "10.40.0.0/16", "dir", "out",
            "priority", "100", "tmpl", "src", "198.51.100.2", "dst", "198.51.100.66", "proto", "esp", "reqid", "7", "mode", "tunnel");
        var peering = Peering(Link("l-1", "198.51.100.9", ["192.168.10.0/24"], ["10.40.0.0/16"], 0xc001, 'a'));
        var plan = XfrmPlanner.Plan(peering, await new XfrmObserver(_runner).ObserveAsync(CancellationToken.None), [], Now);
        var result = await RunAsync(plan.Policies, removals: false);
        Assert.False(result.Succeeded); // `policy add` refuses: the kernel holds one policy per selector and dir
        var still = await _world.ExecOkAsync(_ns, "ip", "xfrm", "policy", "list", "priority", "100");
        Assert.Contains("198.51.100.66", still);
    }

    [Fact]
    public async Task The_esp_probe_says_missing_on_this_kernel()
    {
        var probe = await EspSupport.ProbeAsync(_runner, CancellationToken.None);
        Assert.Equal(EspAvailability.Missing, probe.Availability);
        Assert.StartsWith("kernel lacks ESP support (esp4)", probe.Detail);
        // The probe's throwaway SA lived in its own namespace: nothing is left here.
        Assert.Equal("", await _world.ExecOkAsync(_ns, "ip", "xfrm", "state", "list"));
    }

    [Fact]
    public void The_esp_in_udp_socket_opens_inside_the_namespace_and_holds_the_encap_option()
    {
        using var sockets = new EspInUdpSockets(port => EspInUdpSocket.Open(port, () => NetnsSocketFactory.Create(_ns, AddressFamily.InterNetwork)));
        Assert.Empty(sockets.Sync([4500, 4501]));
        Assert.Equal([4500, 4501], sockets.OpenPorts);

        using var probe = EspInUdpSocket.Open(4502, () => NetnsSocketFactory.Create(_ns, AddressFamily.InterNetwork));
        Assert.Equal(EspInUdpSocket.UdpEncapEspInUdp, probe.EncapType());

        // The namespace sees the ports bound; a second bind to a held port is reported, not thrown.
        using var second = new EspInUdpSockets(port => EspInUdpSocket.Open(port, () => NetnsSocketFactory.Create(_ns, AddressFamily.InterNetwork)));
        var problems = second.Sync([4500]);
        Assert.Equal(4500, Assert.Single(problems).Port);

        Assert.Empty(sockets.Sync([4501]));
        Assert.Equal([4501], sockets.OpenPorts);
        using var reopened = EspInUdpSocket.Open(4500, () => NetnsSocketFactory.Create(_ns, AddressFamily.InterNetwork));
        Assert.Equal(2, reopened.EncapType());
    }
}
