using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The one place that changes what the agent holds as applied and writes it to disk: documents applied,
/// attempts that failed, re-planned intents, drift repairs, lifecycle steps and decommissioning. Called from
/// work items only, so writes never interleave.
/// </summary>
public sealed class StateCommitter(AgentState state, StateStore store)
{
    /// <summary>Which state_dir files could not be saved: a commit that fails to persist still commits in memory.</summary>
    public PersistenceHealth Health => store.Health;

    public async Task CommitBatchAsync(DecodedBatch batch, ReadOnlyMemory<byte> payload, KernelIntent intent, DateTimeOffset? appliedAt, CancellationToken ct)
    {
        await store.SaveBatchAsync(payload, ct).ConfigureAwait(false);
        state.SetApplied(batch, state.AppliedPeering, intent, intent.Warnings);
        await SaveAsync(p => p with
        {
            Config = new AppliedDocument(batch.Sequence, batch.ConfigHash, appliedAt, true, null),
            Lifecycle = LifecycleMachine.OnBatchApplied(p.LifecycleState).ToWire(),
        }, ct).ConfigureAwait(false);
    }

    public async Task CommitPeeringAsync(DecodedPeering peering, ReadOnlyMemory<byte> payload, KernelIntent intent, DateTimeOffset? appliedAt, CancellationToken ct)
    {
        await store.SavePeeringAsync(payload, ct).ConfigureAwait(false);
        state.SetApplied(state.AppliedBatch, peering, intent, intent.Warnings);
        await SaveAsync(p => p with { Peering = new AppliedDocument(peering.Sequence, peering.ConfigHash, appliedAt, true, null) }, ct).ConfigureAwait(false);
    }

    public void RecordFailedBatch(AppliedDocument attempt) => state.RecordFailedAttempt(attempt);

    public void RecordFailedPeering(AppliedDocument attempt) => state.RecordFailedPeeringAttempt(attempt);

    /// <summary>The documents read back at start-up and the intent they compiled to.</summary>
    public void CommitStartup(DecodedBatch? batch, DecodedPeering? peering, KernelIntent intent) =>
        state.SetApplied(batch, peering, intent, intent.Warnings);

    /// <summary>The same documents, planned again (drift check, relay switch, re-resolved endpoint).</summary>
    public void CommitIntent(KernelIntent intent) => state.SetApplied(state.AppliedBatch, state.AppliedPeering, intent, intent.Warnings);

    public Task CountDriftRepairsAsync(int repaired, CancellationToken ct) =>
        SaveAsync(p => p with { DriftRepairs = p.DriftRepairs + repaired }, ct);

    public Task CommitLifecycleAsync(LifecycleState next, CancellationToken ct) => SaveAsync(p => p with { Lifecycle = next.ToWire() }, ct);

    /// <summary>Nothing applied any more, for good; only the drift counter survives.</summary>
    public Task CommitDecommissionedAsync(CancellationToken ct)
    {
        state.SetApplied(null, null, KernelIntent.Empty, []);
        return SaveAsync(p => new PersistedState { Lifecycle = LifecycleState.Decommissioned.ToWire(), DriftRepairs = p.DriftRepairs }, ct);
    }

    private Task SaveAsync(Func<PersistedState, PersistedState> change, CancellationToken ct) => store.SaveAsync(state.Update(change), ct);
}
