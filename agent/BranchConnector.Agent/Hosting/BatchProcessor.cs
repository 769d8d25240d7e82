using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// A batch message, start to end: validate the whole document, apply the sequence rule, reconcile, persist
/// as last-known-good, and build the Confirm. Nothing on the box changes for a document that fails validation.
/// </summary>
public sealed class BatchProcessor(AgentState state, ApplyCoordinator coordinator, StateStore store, ConfirmBuilder confirms, ILogger<BatchProcessor> logger)
{
    public async Task<ConfirmPayload> HandleAsync(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var decoded = BatchDecoder.Decode(payload.Span);
        if (DocumentAdmission.Refusal(ConfirmPayload.BatchKind, state.PersistedLifecycle == LifecycleState.Decommissioned, decoded.Errors,
                decoded.Sequence, decoded.ConfigHash, state.Persisted.Config, receivedAt, confirms, logger) is { } refusal)
            return refusal;

        var batch = decoded.Batch!;
        var persistMark = store.Health.Mark();
        var (intent, outcome) = await coordinator.ApplyAsync(batch.Config, state.Peering, $"batch {batch.Sequence}", rollbackOnFailure: true, ct).ConfigureAwait(false);
        var confirm = confirms.Applied(ConfirmPayload.BatchKind, batch.Sequence, batch.ConfigHash, receivedAt, outcome,
            batch.Config.Topics, BatchTopicMap.TopicOf, BatchTopicMap.TopicOf, [.. intent.Warnings, .. outcome.Warnings]);
        if (outcome.Succeeded)
        {
            await store.SaveBatchAsync(payload, ct).ConfigureAwait(false);
            state.SetApplied(batch, state.AppliedPeering, intent, intent.Warnings);
            var persisted = state.Update(p => p with
            {
                Config = new AppliedDocument(batch.Sequence, batch.ConfigHash, confirm.AppliedAt, true, null),
                Lifecycle = LifecycleMachine.OnBatchApplied(p.LifecycleState).ToWire(),
            });
            await store.SaveAsync(persisted, ct).ConfigureAwait(false);
            confirm = WithPersistenceWarnings(confirm, store.Health.ProblemsSince(persistMark));
            logger.LogInformation("batch {Sequence} applied: +{Added} -{Removed} ~{Changed} ={Unchanged}",
                batch.Sequence, confirm.Changes.Added, confirm.Changes.Removed, confirm.Changes.Changed, confirm.Changes.Unchanged);
        }
        else
        {
            state.RecordFailedAttempt(new AppliedDocument(batch.Sequence, batch.ConfigHash, null, false, confirm.Error?.Message));
        }
        return confirm;
    }

    /// <summary>Applied but not (fully) saved: the box runs the document, a restart would not know it.</summary>
    internal static ConfirmPayload WithPersistenceWarnings(ConfirmPayload confirm, IReadOnlyList<string> problems) =>
        problems.Count == 0 ? confirm : confirm with
        {
            Warnings = [.. confirm.Warnings, .. problems.Select(p => p + "; applied but not persisted: after a restart the agent starts from the last document it could save")],
        };
}
