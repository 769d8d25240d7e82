using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;
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

    public DocumentDecode<DecodedPeering> Decode(ReadOnlySpan<byte> payload)
    {
        var d = PeeringDecoder.Decode(payload);
        return new(d.Peering, d.Errors, d.Sequence, d.ConfigHash);
    }

    public long Sequence(DecodedPeering document) => document.Sequence;
    public string ConfigHash(DecodedPeering document) => document.ConfigHash;
    public AppliedDocument? LastApplied(AgentState state) => state.Persisted.Peering;
    public (DesiredConfig Config, DesiredPeering Peering) Desired(AgentState state, DecodedPeering document) => (state.Config, document.Peering);

    public ConfirmUnits Units(DecodedPeering document)
    {
        var peering = document.Peering;
        List<string> groups = [.. peering.WireGuardGroups.Select(g => g.Id), .. peering.IpsecGroups.Select(g => g.Id)];
        return new(groups, new GroupMap(peering).GroupOf, _ => groups.FirstOrDefault());
    }

    public Task CommitAsync(StateCommitter commit, DecodedPeering document, ReadOnlyMemory<byte> payload, KernelIntent intent, DateTimeOffset? appliedAt, CancellationToken ct) =>
        commit.CommitPeeringAsync(document, payload, intent, appliedAt, ct);

    public void RecordFailure(StateCommitter commit, AppliedDocument attempt) => commit.RecordFailedPeering(attempt);

    /// <summary>Attributes a change to the group whose member (by key) or link (by id) it names.</summary>
    private sealed class GroupMap(DesiredPeering peering)
    {
        private readonly Dictionary<string, string> _byKey = peering.WireGuardGroups
            .SelectMany(g => g.Members.Select(m => (Key: WgPlanner.Short(m.PublicKey), g.Id)))
            .GroupBy(x => x.Key).ToDictionary(x => x.Key, x => x.First().Id);

        public string? GroupOf(PlannedCommand command, PlannedChange change)
        {
            foreach (var (key, id) in _byKey) if (change.What.Contains(key, StringComparison.Ordinal)) return id;
            foreach (var g in peering.IpsecGroups)
                if (g.Links.Any(l => change.What.Contains(l.Id, StringComparison.Ordinal))) return g.Id;
            return peering.WireGuardGroups.FirstOrDefault()?.Id ?? peering.IpsecGroups.FirstOrDefault()?.Id;
        }
    }
}
