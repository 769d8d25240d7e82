using BranchConnector.Agent.Hosting.Northbound;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Mqtt;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Status;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Hosting;

/// <summary>What status says about the box itself, fixed once the daemon has probed it.</summary>
/// <param name="ManagedFirewall">The backend whose own chains are counted; null when the agent does not manage the firewall.</param>
public sealed record StatusBox(string Serial, string WireGuard, string FirewallBackendName, FirewallBackend? ManagedFirewall);

/// <summary>The daemon's answer to `status`: the in-memory state plus a fresh read of tunnels, routes and rules.</summary>
public sealed class AgentStatusProvider(
    AgentState state, StatusBox box, ICommandRunner runner, WorkQueue work, DriftCheck drift, Reports reports,
    Func<MqttSessionStatus> brokerStatus, Func<DateTimeOffset?> brokerSince, Func<Ha.HaStatePayload?> ha) : IStatusProvider
{
    private AgentState State => state;

    /// <summary>IPSec SAs in the agent's reqid band (zero on a kernel without ESP).</summary>
    private async Task<int> CountXfrmStatesAsync(CancellationToken ct) =>
        (await new Linux.Xfrm.XfrmObserver(runner).ObserveAsync(ct).ConfigureAwait(false)).States.Count;

    public async Task<StatusSnapshot> SnapshotAsync(CancellationToken ct)
    {
        var tunnels = await reports.TunnelsAsync(ct).ConfigureAwait(false);
        var broker = brokerStatus();
        var stun = State.Stun;
        var time = State.Time;
        var config = Document(State.LastConfig);
        var peering = Document(State.LastPeering);
        return new StatusSnapshot(
            box.Serial,
            AgentInfo.Version,
            reports.EffectiveLifecycle(tunnels).ToWire(),
            StatusSnapshot.FromDaemon,
            new BrokerStatusReport(broker.Connected, UrlText(broker.CurrentUrl), broker.Connected ? brokerSince() : null, broker.LastError),
            config,
            peering,
            tunnels,
            await CountRoutesAsync(ct).ConfigureAwait(false),
            await CountFirewallRulesAsync(ct).ConfigureAwait(false),
            await CountXfrmStatesAsync(ct).ConfigureAwait(false),
            stun is null ? null : new StunReport(stun.Server, stun.MappedAddress, stun.NatMapping, stun.UdpBlocked, stun.CheckedAt),
            time is null ? null : new TimeReport(time.OffsetMs, time.RttMs, time.NtpSynchronized, time.CheckedAt),
            box.WireGuard,
            box.FirewallBackendName,
            State.UptimeSeconds,
            State.Persisted.DriftRepairs,
            reports.Warnings(BrokerWarning(broker)))
        {
            RunningConfig = StatusSnapshot.RunningUnlessNewest(config, Document(State.Persisted.Config)),
            RunningPeering = StatusSnapshot.RunningUnlessNewest(peering, Document(State.Persisted.Peering)),
            Ha = ha(),
        };
    }

    public async Task<string> ReconcileNowAsync(CancellationToken ct)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = State.Persisted.DriftRepairs;
        work.Enqueue("reconcile now", async c =>
        {
            try
            {
                await drift.RunOnceAsync("reconcile now", c).ConfigureAwait(false);
                done.TrySetResult(State.Persisted.DriftRepairs - before);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
                throw;
            }
        });
        var repaired = await done.Task.WaitAsync(ct).ConfigureAwait(false);
        return repaired == 0 ? "reconciled: nothing to repair" : $"reconciled: {repaired} drift repair{(repaired == 1 ? "" : "s")}";
    }

    /// <summary>The STATUS= line, from what the daemon knows without running a command.</summary>
    public string SummaryLine()
    {
        var broker = brokerStatus();
        var config = State.LastConfig;
        return StatusSummary.Line(box.Serial, reports.EffectiveLifecycle().ToWire(), broker.Connected,
            config?.Sequence, config?.Success ?? false, State.Config.Backbone is null ? null : reports.LastBackboneActive,
            reports.Warnings(BrokerWarning(broker)).Count);
    }

    private static string? BrokerWarning(MqttSessionStatus broker) => broker.IdentityConflict ? MqttSessionStatus.IdentityConflictText : null;

    private static string? UrlText(Uri? url) => url is null ? null : $"{url.Scheme}://{url.Authority}";

    private static DocumentStatusReport? Document(AppliedDocument? d) =>
        d is null ? null : new DocumentStatusReport(d.Sequence, d.ConfigHash, d.AppliedAt, d.Success, d.Error);

    private async Task<int> CountRoutesAsync(CancellationToken ct)
    {
        var count = 0;
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var result = await runner.RunAsync(RouteParser.Request(family), ct).ConfigureAwait(false);
            if (result.Succeeded) count += RouteParser.Parse(result.Stdout, family).Count;
        }
        return count;
    }

    private async Task<int> CountFirewallRulesAsync(CancellationToken ct)
    {
        if (box.ManagedFirewall is not { } backend) return 0;
        var observed = await new FirewallObserver(runner, backend).ObserveAsync(ct).ConfigureAwait(false);
        return observed.RuleCount;
    }
}
