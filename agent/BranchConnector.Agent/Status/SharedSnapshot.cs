namespace BranchConnector.Agent.Status;

/// <summary>
/// One snapshot at a time for any number of status clients: a request that arrives while a snapshot is being
/// taken waits for that one instead of starting its own. A snapshot runs several read-only tools; 200 clients
/// each running their own would queue hundreds of processes and answer the last one many seconds late.
/// The shared work runs under the server's token, so one client giving up does not cancel it for the others.
/// </summary>
public sealed class SharedSnapshot(IStatusProvider provider)
{
    private readonly Lock _lock = new();
    private Task<StatusSnapshot>? _inFlight;

    public Task<StatusSnapshot> GetAsync(CancellationToken serverToken, CancellationToken clientToken)
    {
        Task<StatusSnapshot> shared;
        lock (_lock)
        {
            if (_inFlight is null || _inFlight.IsCompleted) _inFlight = provider.SnapshotAsync(serverToken);
            shared = _inFlight;
        }
        return shared.WaitAsync(clientToken);
    }
}
