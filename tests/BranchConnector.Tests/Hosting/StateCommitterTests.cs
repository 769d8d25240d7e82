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

    [Fact]
    public async Task A_commit_that_cannot_be_saved_still_commits_in_memory_and_names_the_files_for_the_confirm()
    {
        // A state_dir below a regular file: every write fails with an I/O error, as on a full or read-only disk.
        var blocker = Path.Combine(_dir.Path, "not-a-dir");
        await File.WriteAllTextAsync(blocker, "x");
        var state = new AgentState(TimeProvider.System);
        var commit = new StateCommitter(state, new StateStore(Path.Combine(blocker, "state")));
        var batch = new DecodedBatch(7, "hash7", null, DesiredConfig.Empty);
        var mark = commit.Health.Mark();

        await commit.CommitBatchAsync(batch, new byte[] { 1, 2 }, KernelIntent.Empty, T0, CancellationToken.None);

        Assert.Same(batch, state.AppliedBatch);
        Assert.Equal(7, state.Persisted.Config?.Sequence);
        var problems = commit.Health.ProblemsSince(mark);
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("state_dir: cannot save agent-state.json: ", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("state_dir: cannot save batch.json: ", problems[1], StringComparison.Ordinal);
        Assert.Empty(commit.Health.ProblemsSince(commit.Health.Mark()));

        var confirm = new Agent.Protocol.Outbound.ConfirmPayload("BC-1", "batch", 7, "hash7", true, T0, T0, 0,
            Agent.Protocol.Outbound.ConfirmChanges.None, [], null, false, ["w"]);
        var warned = ConfirmBuilder.WithPersistenceWarnings(confirm, problems);
        Assert.True(warned.Success);
        Assert.Equal(3, warned.Warnings.Count);
        Assert.Equal("w", warned.Warnings[0]);
        Assert.All(warned.Warnings.Skip(1), w => Assert.EndsWith("applied but not persisted: after a restart the agent starts from the last document it could save", w, StringComparison.Ordinal));
        Assert.Same(confirm, ConfirmBuilder.WithPersistenceWarnings(confirm, []));
    }
}
