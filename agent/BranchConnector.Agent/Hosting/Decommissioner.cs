using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>Removes everything the agent owns, wipes keys and documents, and records the irreversible state.</summary>
public sealed class Decommissioner(Reconciler reconciler, KeyStore keys, StateStore store, OwnershipJournal journal, StateCommitter commit, ILogger<Decommissioner> logger, Ha.HaService? ha = null)
{
    public async Task DecommissionAsync(string? reason, CancellationToken ct)
    {
        // The pair first: the partner takes the site over before this box's tunnel goes.
        if (ha is not null && await ha.RemoveEverythingAsync(wipeDrain: true, ct).ConfigureAwait(false) is { } haProblem)
            logger.LogError("decommission: {Problem}", haProblem);
        var outcome = await reconciler.ReconcileAsync(KernelIntent.RemoveEverything, null, "decommission", ct).ConfigureAwait(false);
        if (!outcome.Succeeded)
            logger.LogError("decommission: removing kernel objects failed: {Reason}", outcome.Failure?.Result.Describe() ?? string.Join("; ", outcome.Problems));
        keys.WipeAll();
        store.WipeDocuments();
        journal.Wipe();
        await commit.CommitDecommissionedAsync(ct).ConfigureAwait(false);
        logger.LogWarning("decommissioned ({Reason}): kernel objects, keys and applied config removed; this agent will not run again", reason ?? "no reason given");
    }
}
