namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Runs an action every interval, where the interval is read again on every tick: a new `monitoring` topic
/// takes effect within a quarter second instead of after the old (possibly long) interval.
/// </summary>
public static class Periodic
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    public static async Task RunAsync(TimeProvider clock, Func<TimeSpan> interval, Func<CancellationToken, Task> action, CancellationToken ct)
    {
        var last = clock.GetUtcNow();
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(Tick, clock, ct).ConfigureAwait(false);
            if (clock.GetUtcNow() - last < interval()) continue;
            last = clock.GetUtcNow();
            await action(ct).ConfigureAwait(false);
        }
    }
}
