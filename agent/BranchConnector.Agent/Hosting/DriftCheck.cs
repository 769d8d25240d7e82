using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Periodically re-applies the applied documents. With nothing changed by anyone, the plan is empty; anything
/// planned is drift (a deleted route, a flushed chain, a removed device) and is repaired, logged and counted.
/// </summary>
public sealed class DriftCheck(AgentServices services, ILogger<DriftCheck> logger)
{
    public event Action? Repaired;

    public async Task RunOnceAsync(string trigger, CancellationToken ct)
    {
        var state = services.State;
        var (intent, outcome) = await services.Coordinator.ApplyAsync(state.Config, state.Peering, trigger, rollbackOnFailure: false, ct).ConfigureAwait(false);
        // An intent that differs from the applied one is a new decision (relay switch, re-resolved endpoint), not drift.
        var drift = SameShape(intent, state.AppliedIntent);
        if (outcome.Succeeded) state.SetApplied(state.AppliedBatch, state.AppliedPeering, intent, intent.Warnings);
        var repaired = outcome.Plan.Changes.Count();
        if (repaired == 0) return;
        if (!outcome.Succeeded)
        {
            logger.LogError("{Trigger}: repair failed: {Reason}", trigger, outcome.Failure?.Result.Describe() ?? string.Join("; ", outcome.Problems));
            return;
        }
        if (!drift) return;
        foreach (var change in outcome.Plan.Changes) logger.LogWarning("{Trigger}: drift repaired: {Change}", trigger, change);
        var persisted = state.Update(p => p with { DriftRepairs = p.DriftRepairs + repaired });
        await services.Store.SaveAsync(persisted, ct).ConfigureAwait(false);
        Repaired?.Invoke();
    }

    /// <summary>The same kernel objects wanted (warnings aside).</summary>
    private static bool SameShape(KernelIntent a, KernelIntent b) => a == b with { Warnings = a.Warnings };
}
