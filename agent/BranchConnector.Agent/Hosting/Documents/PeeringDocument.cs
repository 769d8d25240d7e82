using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Hosting.Documents;

/// <summary>The e2e-peering document: own sequence and hash; Confirm results per group (WireGuard, then IPSec).</summary>
public sealed class PeeringDocument : IDocumentKind<DecodedPeering>
{
    public string Kind => ConfirmPayload.PeeringKind;
    public string Trigger => "peering";

    public DecodeResult<DecodedPeering> Decode(ReadOnlySpan<byte> payload) => PeeringDecoder.Decode(payload);
    public AppliedDocument? LastApplied(AgentState state) => state.Persisted.Peering;
    public (DesiredConfig Config, DesiredPeering Peering) Desired(AgentState state, DecodedPeering document) => (state.Config, document.Peering);

    public ConfirmUnits Units(DecodedPeering document)
    {
        var peering = document.Peering;
        List<Origin> groups = [.. peering.WireGuardGroups.Select(g => new GroupOrigin(g.Id)), .. peering.IpsecGroups.Select(g => new GroupOrigin(g.Id))];
        // A removal (a member or link that left) counts under the first group: the document as a whole dropped it.
        return new(groups, _ => groups.FirstOrDefault());
    }

    public Task CommitAsync(StateCommitter commit, DecodedPeering document, ReadOnlyMemory<byte> payload, KernelIntent intent, DateTimeOffset? appliedAt, CancellationToken ct) =>
        commit.CommitPeeringAsync(document, payload, intent, appliedAt, ct);

    public void RecordFailure(StateCommitter commit, AppliedDocument attempt) => commit.RecordFailedPeering(attempt);

}
