using BranchConnector.Agent.Health;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Watches each peering member's direct path and moves its subnets between the peering interface and the
/// backbone (relay through the hub) when the path goes silent or comes back. Each switch is logged, re-planned
/// through the one reconciler, and reported at once in TunnelStatus.
/// </summary>
public sealed class RelayMonitor(
    AgentState state, IntentEnvironment environment, ICommandRunner runner, WorkQueue work, DriftCheck reconcile,
    Func<CancellationToken, Task> publishTunnelStatus, TimeProvider clock, ILogger<RelayMonitor> logger)
{
    private IReadOnlyDictionary<string, MemberTraffic> _traffic = new Dictionary<string, MemberTraffic>();
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var peering = state.Peering;
            var timeout = peering.WireGuardGroups.Count == 0 ? 30 : peering.WireGuardGroups.Min(g => g.DirectTimeoutS);
            await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(timeout / 4.0, 1, 10)), clock, ct).ConfigureAwait(false);
            try
            {
                await LookAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("relay monitor: {Message}", ex.Message);
            }
        }
    }

    private async Task LookAsync(CancellationToken ct)
    {
        var peering = state.Peering;
        if (peering.WireGuardInterface is not { } name || state.Config.Backbone is null)
        {
            _traffic = new Dictionary<string, MemberTraffic>();
            if (environment.RelayedMembers.Count > 0) environment.SetRelayed(new HashSet<string>());
            return;
        }
        var device = await WgShow.ReadAsync(runner, name, ct).ConfigureAwait(false);
        var configuredAt = state.PeeringConfiguredAt ?? _startedAt;
        var before = environment.RelayedMembers;
        var decision = PeeringPaths.Decide(peering, device, _traffic, before, configuredAt, clock.GetUtcNow());
        _traffic = decision.Traffic;
        if (decision.Switches.Count == 0) return;
        foreach (var s in decision.Switches) logger.LogWarning("peering path: {Switch}", s);
        environment.SetRelayed(decision.Relayed);
        work.Enqueue("relay switch", async c =>
        {
            await reconcile.RunOnceAsync("relay switch", c).ConfigureAwait(false);
            await publishTunnelStatus(c).ConfigureAwait(false);
        });
    }
}
