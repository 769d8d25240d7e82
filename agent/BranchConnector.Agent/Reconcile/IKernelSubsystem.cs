using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// The kernel side a batch topic brings with it: how its live state is read and how it is planned. The
/// observer reads every registered subsystem in the same pass as the shared ones; the planner adds its
/// commands after the shared stages (removals before theirs), so a topic never edits the planner.
/// </summary>
public interface IKernelSubsystem
{
    string Name { get; }

    /// <summary>Reads the live state (read-only commands through <paramref name="runner"/>).</summary>
    Task<object> ObserveAsync(ICommandRunner runner, CancellationToken ct);

    /// <summary>
    /// Pure: the commands that bring the observed state to the intent's parts of this subsystem (none on
    /// <see cref="KernelIntent.RemoveEverything"/>: everything the subsystem owns goes).
    /// </summary>
    SubsystemPlan Plan(KernelIntent intent, object observed, PlannerContext ctx);
}

/// <summary>An <see cref="IKernelSubsystem"/> with a typed observed state.</summary>
public abstract class KernelSubsystem<TObserved> : IKernelSubsystem where TObserved : notnull
{
    public abstract string Name { get; }
    public abstract Task<TObserved> ReadAsync(ICommandRunner runner, CancellationToken ct);
    public abstract SubsystemPlan Plan(KernelIntent intent, TObserved observed, PlannerContext ctx);

    async Task<object> IKernelSubsystem.ObserveAsync(ICommandRunner runner, CancellationToken ct) =>
        await ReadAsync(runner, ct).ConfigureAwait(false);

    SubsystemPlan IKernelSubsystem.Plan(KernelIntent intent, object observed, PlannerContext ctx) => Plan(intent, (TObserved)observed, ctx);
}
