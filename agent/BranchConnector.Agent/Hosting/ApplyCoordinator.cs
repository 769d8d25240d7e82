using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The single path from documents to the kernel for every trigger: compile (config, peering) into an intent,
/// reconcile it with the previously applied intent as the rollback target, and record what was configured.
/// </summary>
public sealed class ApplyCoordinator(AgentState state, Reconciler reconciler, IntentEnvironment env, KeyStore keys, EspInUdpSockets sockets, WorkQueue work, TimeProvider clock, ILogger<ApplyCoordinator> logger, Ha.HaService? ha = null)
{
    /// <summary>Every reconcile this coordinator ran, with its trigger (metrics: duration by trigger).</summary>
    public event Action<string, ReconcileOutcome>? Applied;

    /// <summary>Re-plans when the old SAs of a rekey are due to go (30 s after the new ones went in).</summary>
    private void ScheduleRetirement(DateTimeOffset due)
    {
        var delay = due - clock.GetUtcNow();
        _ = Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay + TimeSpan.FromMilliseconds(100), clock).ContinueWith(
            _ => work.Enqueue("retire rekeyed SAs", ct => ApplyAsync(state.Config, state.Peering, "retire rekeyed SAs", rollbackOnFailure: false, ct)),
            TaskScheduler.Default);
    }

    public async Task<(KernelIntent Intent, ReconcileOutcome Outcome)> ApplyAsync(DesiredConfig config, DesiredPeering peering, string trigger, bool rollbackOnFailure, CancellationToken ct)
    {
        foreach (var name in KeyNames.All) await keys.EnsureAsync(name, ct).ConfigureAwait(false);
        var intent = await IntentBuilder.BuildAsync(config, peering, env, ct).ConfigureAwait(false);
        var previous = state.AppliedIntent;
        var outcome = await reconciler.ReconcileAsync(intent, rollbackOnFailure ? previous : null, trigger, ct).ConfigureAwait(false);
        Applied?.Invoke(trigger, outcome);
        if (outcome.Succeeded)
        {
            state.RetiringSas = outcome.Plan.RetiringSas;
            if (outcome.Plan.NextRemoval is { } due) ScheduleRetirement(due);
            foreach (var problem in sockets.Sync(peering.IpsecGroups.Select(g => g.ListenPort)))
                logger.LogWarning("{Trigger}: ESP-in-UDP socket: {Problem}", trigger, problem);
            var now = clock.GetUtcNow();
            // Which tunnel was (re)configured, by the origin of its WireGuard changes: the backbone is the
            // wireguard topic's, the peering device the groups'.
            var wgChanged = outcome.Plan.Commands.Where(c => c.Stage == Stage.WireGuard && !c.IsRemoval)
                .SelectMany(c => c.Changes).Select(c => c.Origin).ToList();
            state.MarkConfigured(wgChanged.Any(o => o is TopicOrigin { Topic: Protocol.Topics.WireGuardTopic.Name }), wgChanged.Any(o => o is GroupOrigin), now);
            // ha last (spec: apply order); a pair that cannot start is a warning, the rest of the batch stands.
            if (ha is not null && await ha.SyncAsync(config.Ha, config.Backbone, TimeSpan.FromSeconds(config.Monitoring.HandshakeTimeoutS), ct).ConfigureAwait(false) is { } haProblem)
                intent = intent with { Warnings = [.. intent.Warnings, haProblem] };
        }
        foreach (var w in intent.Warnings) logger.LogWarning("{Trigger}: {Warning}", trigger, w);
        return (intent, outcome);
    }
}
