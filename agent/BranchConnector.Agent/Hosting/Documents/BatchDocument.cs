using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Hosting.Documents;

/// <summary>The batch (`config/confirm`): replaces the configuration; Confirm results per topic in document order.</summary>
public sealed class BatchDocument : IDocumentKind<DecodedBatch>
{
    public string Kind => ConfirmPayload.BatchKind;
    public string Trigger => "batch";

    public DecodeResult<DecodedBatch> Decode(ReadOnlySpan<byte> payload) => BatchDecoder.Decode(payload);
    public AppliedDocument? LastApplied(AgentState state) => state.Persisted.Config;
    public (DesiredConfig Config, DesiredPeering Peering) Desired(AgentState state, DecodedBatch document) => (document.Config, state.Peering);
    public ConfirmUnits Units(DecodedBatch document)
    {
        var config = document.Config;
        return new([.. config.Topics.Select(config.OriginOf)],
            stage => BatchTopics.All.FirstOrDefault(t => t.OwnsRemovalsOf == stage) is { } owner ? config.OriginOf(owner.Name) : null);
    }

    public Task CommitAsync(StateCommitter commit, DecodedBatch document, ReadOnlyMemory<byte> payload, KernelIntent intent, DateTimeOffset? appliedAt, CancellationToken ct) =>
        commit.CommitBatchAsync(document, payload, intent, appliedAt, ct);

    public void RecordFailure(StateCommitter commit, AppliedDocument attempt) => commit.RecordFailedBatch(attempt);
}
