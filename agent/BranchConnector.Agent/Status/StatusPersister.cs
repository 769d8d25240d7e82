using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Status;

/// <summary>
/// Keeps `status.json` current (every <paramref name="interval"/> and once more at shutdown) and tells systemd a
/// one-line summary whenever it changes (rechecked every 2 s; the full snapshot runs commands, so it is written less often).
/// </summary>
public sealed class StatusPersister(IStatusProvider provider, string stateDir, TimeProvider clock, Func<TimeSpan> interval, Action<string>? summary, ILogger logger)
{
    private static readonly TimeSpan SummaryPoll = TimeSpan.FromSeconds(2);
    private string? _lastSummary;

    public async Task RunAsync(Func<string> summaryLine, CancellationToken ct)
    {
        var lastWrite = DateTimeOffset.MinValue;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Publish(summaryLine());
                if (clock.GetUtcNow() - lastWrite >= interval())
                {
                    await WriteOnceAsync(ct).ConfigureAwait(false);
                    lastWrite = clock.GetUtcNow();
                }
                await Task.Delay(SummaryPoll, clock, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        // The last word: a snapshot for `status` while the daemon is down.
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await WriteOnceAsync(shutdown.Token).ConfigureAwait(false);
    }

    public async Task WriteOnceAsync(CancellationToken ct)
    {
        try
        {
            var snapshot = await provider.SnapshotAsync(ct).ConfigureAwait(false);
            await StatusSnapshotFile.WriteAsync(stateDir, snapshot, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("status snapshot: {Message}", e.Message);
        }
    }

    private void Publish(string line)
    {
        if (line == _lastSummary) return;
        _lastSummary = line;
        summary?.Invoke(line);
    }
}
