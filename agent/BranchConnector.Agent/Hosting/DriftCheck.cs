using BranchConnector.Agent.Reconcile;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Periodically re-applies the applied documents. With nothing changed by anyone, the plan is empty; anything
/// planned is drift (a deleted route, a flushed chain, a removed device) and is repaired, logged and counted.
/// </summary>
public sealed class DriftCheck(AgentState state, ApplyCoordinator coordinator, StateCommitter commit, ILogger<DriftCheck> logger)
{
    public event Action? Repaired;

    public async Task RunOnceAsync(string trigger, CancellationToken ct)
    {
        var applied = state.AppliedIntent;
        var (intent, outcome) = await coordinator.ApplyAsync(state.Config, state.Peering, trigger, rollbackOnFailure: false, ct).ConfigureAwait(false);
        if (outcome.Succeeded) commit.CommitIntent(intent);
        var verdict = DriftVerdict.Of(applied, intent, outcome);
        switch (verdict.Kind)
        {
            case DriftKind.RepairFailed:
                logger.LogError("{Trigger}: repair failed: {Reason}", trigger, outcome.Failure?.Result.Describe() ?? string.Join("; ", outcome.Problems));
                return;
            case DriftKind.Repaired:
                foreach (var change in outcome.Plan.Changes) logger.LogWarning("{Trigger}: drift repaired: {Change}", trigger, change);
                await commit.CountDriftRepairsAsync(verdict.Changes, ct).ConfigureAwait(false);
                Repaired?.Invoke();
                return;
        }
    }
}
