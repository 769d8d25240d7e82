using BranchConnector.Agent.Hosting.Documents;
using BranchConnector.Agent.Hosting.Northbound;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Hosting.Inbound;

/// <summary>
/// A batch or e2e-peering message as a work item: apply it, publish its Confirm, then the reports it changed
/// (a batch can change Register, State and Inform; both change TunnelStatus).
/// </summary>
public sealed class DocumentMessages(
    WorkQueue work, DocumentApplier<DecodedBatch> batches, DocumentApplier<DecodedPeering> peerings, ConfirmBuilder confirms, Publisher publisher, AgentTopics topics,
    RegisterReport register, StateReport stateReport, TunnelStatusReport tunnels, InformReport inform, Metrics.AgentMetrics metrics)
{
    public void OnBatch(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt) =>
        EnqueueLatest(ConfirmPayload.BatchKind, payload, receivedAt, c => BatchAsync(payload, receivedAt, c));

    public void OnPeering(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt) =>
        EnqueueLatest(ConfirmPayload.PeeringKind, payload, receivedAt, c => PeeringAsync(payload, receivedAt, c));

    /// <summary>
    /// A document waits its turn; when a newer one of the same kind arrives before that, only the newer one is
    /// applied and the older one's Confirm says so (docs/decisions.md, "Coalescing").
    /// </summary>
    private void EnqueueLatest(string kind, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, Func<CancellationToken, Task> apply)
    {
        var peek = DocumentPeek.Read(payload.Span);
        work.EnqueueLatest(kind, peek.Sequence, kind, apply, c =>
            PublishConfirmAsync(confirms.Superseded(kind, peek.Sequence!.Value, peek.ConfigHash, receivedAt, work.NewestWaiting(kind)), c));
    }

    public void OnBatchTooLarge(int size, DateTimeOffset receivedAt) => TooLarge(ConfirmPayload.BatchKind, size, receivedAt);

    public void OnPeeringTooLarge(int size, DateTimeOffset receivedAt) => TooLarge(ConfirmPayload.PeeringKind, size, receivedAt);

    private void TooLarge(string kind, int size, DateTimeOffset receivedAt)
    {
        var confirm = confirms.Rejected(kind, null, null, receivedAt,
            [new ValidationError(ErrorCodes.TooLarge, "", $"message of {size} bytes exceeds the 1 MiB limit")]);
        work.Enqueue("too_large confirm", c => PublishConfirmAsync(confirm, c));
    }

    private async Task BatchAsync(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var confirm = await batches.HandleAsync(payload, receivedAt, ct).ConfigureAwait(false);
        await PublishConfirmAsync(confirm, ct).ConfigureAwait(false);
        if (confirm.Success && confirm.Changes != ConfirmChanges.None) await register.PublishAsync(ct).ConfigureAwait(false);
        await stateReport.PublishAsync(force: false, ct).ConfigureAwait(false);
        await tunnels.PublishAsync(force: true, ct).ConfigureAwait(false);
        await inform.PublishAsync(onlyIfChanged: true, ct).ConfigureAwait(false);
    }

    private async Task PeeringAsync(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var confirm = await peerings.HandleAsync(payload, receivedAt, ct).ConfigureAwait(false);
        await PublishConfirmAsync(confirm, ct).ConfigureAwait(false);
        await tunnels.PublishAsync(force: true, ct).ConfigureAwait(false);
    }

    private Task PublishConfirmAsync(ConfirmPayload confirm, CancellationToken ct)
    {
        metrics.CountConfirm(confirm.Kind, confirm);
        return publisher.PublishAsync(confirm.Kind == ConfirmPayload.BatchKind ? topics.ConfigConfirm : topics.PeeringConfirm,
            ProtocolJson.Serialize(confirm), 1, false, ct);
    }
}
