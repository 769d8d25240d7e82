using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Hosting.Documents;

/// <summary>
/// What differs between the two inbound documents (batch, e2e-peering); everything else — admission, apply,
/// Confirm, commit — is <see cref="DocumentApplier{TDoc}"/>.
/// </summary>
public interface IDocumentKind<TDoc> where TDoc : class, IDecodedDocument
{
    string Kind { get; }

    /// <summary>The word that starts the trigger in logs: "batch 7", "peering 3".</summary>
    string Trigger { get; }
    DecodeResult<TDoc> Decode(ReadOnlySpan<byte> payload);
    AppliedDocument? LastApplied(AgentState state);

    /// <summary>The desired state with this document in place of the applied one of its kind.</summary>
    (DesiredConfig Config, DesiredPeering Peering) Desired(AgentState state, TDoc document);

    ConfirmUnits Units(TDoc document);
    Task CommitAsync(StateCommitter commit, TDoc document, ReadOnlyMemory<byte> payload, KernelIntent intent, DateTimeOffset? appliedAt, CancellationToken ct);
    void RecordFailure(StateCommitter commit, AppliedDocument attempt);
}
