using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Before and independently of the broker: re-decode the persisted last-known-good documents and reconcile
/// them, so the tunnel comes up after a reboot with the hub unreachable, and a restarted agent adopts a live
/// state that already matches with zero operations. Leftovers of a crashed run are removed by the same pass.
/// </summary>
public sealed class StartupReconcile(StateStore store, ApplyCoordinator coordinator, StateCommitter commit, SequenceRecordStore sequences, ILogger<StartupReconcile> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var batchBytes = await store.LoadBatchAsync(ct).ConfigureAwait(false);
        var peeringBytes = await store.LoadPeeringAsync(ct).ConfigureAwait(false);
        DecodedBatch? batch = null;
        DecodedPeering? peering = null;
        if (batchBytes is not null)
        {
            var decoded = BatchDecoder.Decode(batchBytes);
            if (decoded.IsValid) batch = decoded.Batch;
            else logger.LogError("persisted batch {Path} is not valid any more ({Error}); starting without it", store.BatchPath, decoded.FirstError);
        }
        if (peeringBytes is not null)
        {
            var decoded = PeeringDecoder.Decode(peeringBytes);
            if (decoded.IsValid) peering = decoded.Peering;
            else logger.LogError("persisted peering {Path} is not valid any more ({Error}); starting without it", store.PeeringPath, decoded.FirstError);
        }

        var config = batch?.Config ?? DesiredConfig.Empty;
        var peeringDoc = peering?.Peering ?? DesiredPeering.Empty;
        // The last-known-good keys were used before this start: without a sequence record they are not installed again.
        sequences.MarkUsedBefore(Linux.Xfrm.XfrmIntent.From(peeringDoc).Sas.Select(Linux.Xfrm.SaSequenceKey.Of));
        var (intent, outcome) = await coordinator.ApplyAsync(config, peeringDoc, "start-up", rollbackOnFailure: false, ct).ConfigureAwait(false);
        commit.CommitStartup(batch, peering, intent);
        if (outcome.Succeeded)
            logger.LogInformation("start-up: batch {Sequence}, peering {Peering}: {Count} operations, {Unchanged} already in place",
                batch?.Sequence, peering?.Sequence, outcome.Plan.Changes.Count(), outcome.Plan.Unchanged);
        else
            logger.LogError("start-up reconcile incomplete: {Reason}; the drift check will retry",
                outcome.Failure?.Result.Describe() ?? string.Join("; ", outcome.Problems));
    }
}
