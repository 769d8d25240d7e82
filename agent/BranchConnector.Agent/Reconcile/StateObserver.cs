using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// Reads the live state with a fixed number of read-only processes (independent of how many routes or rules
/// exist): ip addr, ip route and ip rule per family, wg show per agent device, iptables-save per family; and
/// the managed sysctls from /proc/sys without a process.
/// </summary>
public sealed class StateObserver(ICommandRunner runner, FirewallBackend? firewallBackend, SysctlReader? sysctls = null, IReadOnlyList<IKernelSubsystem>? subsystems = null)
{
    private readonly SysctlReader _sysctls = sysctls ?? new SysctlReader();
    private readonly IReadOnlyList<IKernelSubsystem> _subsystems = subsystems ?? Protocol.BatchTopics.Subsystems;

    public async Task<ObservedState> ObserveAsync(IEnumerable<string> wgDevices, CancellationToken ct)
    {
        var linksTask = ReadAsync(AddressParser.Request, AddressParser.Parse, ct);
        var routes4 = ReadAsync(RouteParser.Request(IpFamily.V4), s => RouteParser.Parse(s, IpFamily.V4), ct);
        var routes6 = ReadAsync(RouteParser.Request(IpFamily.V6), s => RouteParser.Parse(s, IpFamily.V6), ct);
        var rules4 = ReadAsync(RuleParser.Request(IpFamily.V4), s => RuleParser.Parse(s, IpFamily.V4), ct);
        var rules6 = ReadAsync(RuleParser.Request(IpFamily.V6), s => RuleParser.Parse(s, IpFamily.V6), ct);
        var firewallTask = firewallBackend is null ? Task.FromResult<ObservedFirewall?>(null) : ObserveFirewallAsync(firewallBackend, ct);
        var xfrmTask = new XfrmObserver(runner).ObserveAsync(ct);
        var sysctlTask = _sysctls.ReadAsync(SysctlPlanner.Managed, ct);
        var topicTasks = _subsystems.Select(async s => (s.Name, State: await s.ObserveAsync(runner, ct).ConfigureAwait(false))).ToList();

        var links = await linksTask.ConfigureAwait(false);
        var existing = links.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var wg = new Dictionary<string, ObservedWgDevice>(StringComparer.Ordinal);
        foreach (var name in wgDevices.Distinct(StringComparer.Ordinal).Where(existing.Contains))
        {
            // A link of that name that is not (yet) a WireGuard device answers with an error: observed as absent.
            if (await WgShow.ReadAsync(runner, name, ct).ConfigureAwait(false) is { } device) wg[name] = device;
        }
        return new ObservedState(
            links,
            wg,
            [.. await routes4.ConfigureAwait(false), .. await routes6.ConfigureAwait(false)],
            [.. await rules4.ConfigureAwait(false), .. await rules6.ConfigureAwait(false)],
            await firewallTask.ConfigureAwait(false),
            await xfrmTask.ConfigureAwait(false))
        {
            Sysctls = await sysctlTask.ConfigureAwait(false),
            Subsystems = (await Task.WhenAll(topicTasks).ConfigureAwait(false)).ToDictionary(t => t.Name, t => t.State, StringComparer.Ordinal),
        };
    }

    private async Task<ObservedFirewall?> ObserveFirewallAsync(FirewallBackend backend, CancellationToken ct) =>
        await new FirewallObserver(runner, backend).ObserveAsync(ct).ConfigureAwait(false);

    private async Task<IReadOnlyList<T>> ReadAsync<T>(CommandRequest request, Func<string, IReadOnlyList<T>> parse, CancellationToken ct)
    {
        var result = await runner.RunAsync(request, ct).ConfigureAwait(false);
        if (!result.Succeeded) throw new ObserveException(result);
        return parse(result.Stdout);
    }
}

/// <summary>A read of the live state failed: nothing can be planned on a state that was not seen.</summary>
public sealed class ObserveException(CommandResult result) : Exception($"observing the live state failed: {result.Describe()}")
{
    public CommandResult Result { get; } = result;
}
