namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Runs an action every interval, where the interval is read again on every tick: a new `monitoring` topic
/// takes effect within a quarter second instead of after the old (possibly long) interval.
/// </summary>
public static class Periodic
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(Func<TimeSpan> interval, Func<CancellationToken, Task> action, CancellationToken ct)
    {
        var last = DateTimeOffset.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(Tick, ct).ConfigureAwait(false);
            if (DateTimeOffset.UtcNow - last < interval()) continue;
            last = DateTimeOffset.UtcNow;
            await action(ct).ConfigureAwait(false);
        }
    }
}
