using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Documents;

/// <summary>
/// An inbound document, start to end: validate the whole document, apply the sequence rule, reconcile with
/// the applied state as the rollback target, commit and persist it as last-known-good, and build the Confirm.
/// Nothing on the box changes for a document that fails validation.
/// </summary>
public sealed class DocumentApplier<TDoc>(
    IDocumentKind<TDoc> kind, AgentState state, ApplyCoordinator coordinator, StateCommitter commit, ConfirmBuilder confirms, ILogger logger)
    where TDoc : class, Protocol.IDecodedDocument
{
    public string Kind => kind.Kind;

    public async Task<ConfirmPayload> HandleAsync(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var decoded = kind.Decode(payload.Span);
        if (DocumentAdmission.Refusal(kind.Kind, state.PersistedLifecycle == LifecycleState.Decommissioned, decoded.Errors,
                decoded.Sequence, decoded.ConfigHash, kind.LastApplied(state), receivedAt, confirms, logger) is { } refusal)
            return refusal;

        var document = decoded.Document!;
        var (sequence, hash) = (document.Sequence, document.ConfigHash);
        var (config, peering) = kind.Desired(state, document);
        var trigger = $"{kind.Trigger} {sequence}";
        var persistMark = commit.Health.Mark();
        var (intent, outcome) = await coordinator.ApplyAsync(config, peering, trigger, rollbackOnFailure: true, ct).ConfigureAwait(false);
        var confirm = confirms.Applied(kind.Kind, sequence, hash, receivedAt, outcome, kind.Units(document), [.. intent.Warnings, .. outcome.Warnings]);
        if (outcome.Succeeded)
        {
            await kind.CommitAsync(commit, document, payload, intent, confirm.AppliedAt, ct).ConfigureAwait(false);
            confirm = ConfirmBuilder.WithPersistenceWarnings(confirm, commit.Health.ProblemsSince(persistMark));
            logger.LogInformation("{Trigger} applied: +{Added} -{Removed} ~{Changed} ={Unchanged}",
                trigger, confirm.Changes.Added, confirm.Changes.Removed, confirm.Changes.Changed, confirm.Changes.Unchanged);
        }
        else
        {
            kind.RecordFailure(commit, new AppliedDocument(sequence, hash, null, false, confirm.Error?.Message));
        }
        return confirm;
    }
}
