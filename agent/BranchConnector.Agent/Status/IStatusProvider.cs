namespace BranchConnector.Agent.Status;

/// <summary>What the status socket serves: a fresh picture of the agent, and the one state-changing request.</summary>
public interface IStatusProvider
{
    Task<StatusSnapshot> SnapshotAsync(CancellationToken ct);

    /// <summary>Runs a drift check now and returns a one-line result.</summary>
    Task<string> ReconcileNowAsync(CancellationToken ct);
}
