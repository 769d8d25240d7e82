using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>An e2e-peering message: validated like a batch (own sequence and hash), applied by the same reconciler.</summary>
public sealed class PeeringProcessor(AgentState state, ApplyCoordinator coordinator, StateStore store, ConfirmBuilder confirms, ILogger<PeeringProcessor> logger)
{
    public async Task<ConfirmPayload> HandleAsync(ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var decoded = PeeringDecoder.Decode(payload.Span);
        if (DocumentAdmission.Refusal(ConfirmPayload.PeeringKind, state.PersistedLifecycle == LifecycleState.Decommissioned, decoded.Errors,
                decoded.Sequence, decoded.ConfigHash, state.Persisted.Peering, receivedAt, confirms, logger) is { } refusal)
            return refusal;

        var doc = decoded.Peering!;
        var persistMark = store.Health.Mark();
        var (intent, outcome) = await coordinator.ApplyAsync(state.Config, doc.Peering, $"peering {doc.Sequence}", rollbackOnFailure: true, ct).ConfigureAwait(false);
        var groups = GroupIds(doc.Peering);
        var map = new GroupMap(doc.Peering);
        var confirm = confirms.Applied(ConfirmPayload.PeeringKind, doc.Sequence, doc.ConfigHash, receivedAt, outcome,
            groups, map.GroupOf, _ => groups.FirstOrDefault(), [.. intent.Warnings, .. outcome.Warnings]);
        if (outcome.Succeeded)
        {
            await store.SavePeeringAsync(payload, ct).ConfigureAwait(false);
            state.SetApplied(state.AppliedBatch, doc, intent, intent.Warnings);
            var persisted = state.Update(s => s with { Peering = new AppliedDocument(doc.Sequence, doc.ConfigHash, confirm.AppliedAt, true, null) });
            await store.SaveAsync(persisted, ct).ConfigureAwait(false);
            confirm = BatchProcessor.WithPersistenceWarnings(confirm, store.Health.ProblemsSince(persistMark));
        }
        else
        {
            state.RecordFailedPeeringAttempt(new AppliedDocument(doc.Sequence, doc.ConfigHash, null, false, confirm.Error?.Message));
        }
        return confirm;
    }

    /// <summary>Groups in document order: WireGuard then IPSec, as the decoder keeps them.</summary>
    private static List<string> GroupIds(DesiredPeering peering) =>
        [.. peering.WireGuardGroups.Select(g => g.Id), .. peering.IpsecGroups.Select(g => g.Id)];

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
