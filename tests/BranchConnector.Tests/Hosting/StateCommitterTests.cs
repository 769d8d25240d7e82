using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Tests.Config;

namespace BranchConnector.Tests.Hosting;

/// <summary>The one place that commits applied state: memory and disk agree after every step.</summary>
public sealed class StateCommitterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_committed_batch_is_applied_in_memory_persisted_and_provisions_the_box()
    {
        var state = new AgentState(TimeProvider.System);
        var store = new StateStore(_dir.Path);
        var commit = new StateCommitter(state, store);
        var batch = new DecodedBatch(7, "hash7", null, DesiredConfig.Empty);
        var intent = KernelIntent.Empty with { Warnings = ["w"] };

        state.RecordFailedAttempt(new AppliedDocument(6, "hash6", null, false, "boom"));
        await commit.CommitBatchAsync(batch, new byte[] { 1, 2 }, intent, T0, CancellationToken.None);

        Assert.Same(batch, state.AppliedBatch);
        Assert.Equal(intent, state.AppliedIntent);
        Assert.Equal(["w"], state.ApplyWarnings);
        Assert.Null(state.FailedConfigAttempt);
        var onDisk = await store.LoadAsync(CancellationToken.None);
        Assert.Equal(new AppliedDocument(7, "hash7", T0, true, null), onDisk.Config);
        Assert.Equal(LifecycleState.Provisioned, onDisk.LifecycleState);
        Assert.Equal(new byte[] { 1, 2 }, await store.LoadBatchAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Drift_repairs_add_up_and_survive_decommissioning_alone()
    {
        var state = new AgentState(TimeProvider.System);
        var store = new StateStore(_dir.Path);
        var commit = new StateCommitter(state, store);
        await commit.CommitPeeringAsync(new DecodedPeering(3, "p3", null, DesiredPeering.Empty), new byte[] { 9 }, KernelIntent.Empty, T0, CancellationToken.None);
        await commit.CountDriftRepairsAsync(2, CancellationToken.None);
        await commit.CountDriftRepairsAsync(3, CancellationToken.None);
        Assert.Equal(5, (await store.LoadAsync(CancellationToken.None)).DriftRepairs);

        await commit.CommitDecommissionedAsync(CancellationToken.None);

        var onDisk = await store.LoadAsync(CancellationToken.None);
        Assert.Equal(LifecycleState.Decommissioned, onDisk.LifecycleState);
        Assert.Equal(5, onDisk.DriftRepairs);
        Assert.Null(onDisk.Peering);
        Assert.Null(state.AppliedPeering);
        Assert.Equal(KernelIntent.Empty, state.AppliedIntent);
    }
}
