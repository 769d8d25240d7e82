using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The single path from documents to the kernel for every trigger: compile (config, peering) into an intent,
/// reconcile it with the previously applied intent as the rollback target, and record what was configured.
/// </summary>
public sealed class ApplyCoordinator(AgentState state, Reconciler reconciler, IntentEnvironment env, KeyStore keys, ILogger<ApplyCoordinator> logger)
{
    public async Task<(KernelIntent Intent, ReconcileOutcome Outcome)> ApplyAsync(DesiredConfig config, DesiredPeering peering, string trigger, bool rollbackOnFailure, CancellationToken ct)
    {
        foreach (var name in KeyNames.All) await keys.EnsureAsync(name, ct).ConfigureAwait(false);
        var intent = await IntentBuilder.BuildAsync(config, peering, env, ct).ConfigureAwait(false);
        var previous = state.AppliedIntent;
        var outcome = await reconciler.ReconcileAsync(intent, rollbackOnFailure ? previous : null, trigger, ct).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            var now = DateTimeOffset.UtcNow;
            var backbone = IntentBuilder.ActiveBackbone(config)?.Interface;
            var peeringIf = peering.WireGuardInterface;
            var wgChanged = outcome.Plan.Commands.Where(c => c.Stage == Stage.WireGuard && !c.IsRemoval)
                .SelectMany(c => c.Request.Arguments).ToHashSet(StringComparer.Ordinal);
            state.MarkConfigured(backbone is not null && wgChanged.Contains(backbone), peeringIf is not null && wgChanged.Contains(peeringIf), now);
        }
        foreach (var w in intent.Warnings) logger.LogWarning("{Trigger}: {Warning}", trigger, w);
        return (intent, outcome);
    }
}
