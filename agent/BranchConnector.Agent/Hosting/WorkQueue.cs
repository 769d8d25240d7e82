using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Every change to the box goes through this one queue and is handled one at a time, so a batch, a peering
/// message, a drift check and a lifecycle command never interleave. The loop's heartbeat feeds the watchdog:
/// a hung reconciler stops the heartbeat and systemd restarts the agent.
/// </summary>
public sealed class WorkQueue(ILogger<WorkQueue> logger, TimeProvider clock)
{
    private readonly Channel<(string Name, Func<CancellationToken, Task> Work)> _channel =
        Channel.CreateUnbounded<(string, Func<CancellationToken, Task>)>(new UnboundedChannelOptions { SingleReader = true });
    private long _heartbeatTicks = clock.GetUtcNow().UtcTicks;

    /// <summary>When the loop last proved it was alive (idle counts: it is waiting, not stuck).</summary>
    public DateTimeOffset Heartbeat => new(Interlocked.Read(ref _heartbeatTicks), TimeSpan.Zero);
    public bool Busy { get; private set; }

    public void Enqueue(string name, Func<CancellationToken, Task> work)
    {
        if (!_channel.Writer.TryWrite((name, work))) logger.LogWarning("work queue closed: {Work} dropped", name);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var reader = _channel.Reader;
        while (!ct.IsCancellationRequested)
        {
            Beat();
            while (reader.TryRead(out var item))
            {
                Busy = true;
                try
                {
                    await item.Work(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "{Work} failed: {Message}", item.Name, ex.Message);
                }
                finally
                {
                    Busy = false;
                    Beat();
                }
            }
            // Wake at least once a second so an idle loop still beats.
            using var second = new CancellationTokenSource(TimeSpan.FromSeconds(1), clock);
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(ct, second.Token);
            try
            {
                if (!await reader.WaitToReadAsync(wake.Token).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Complete() => _channel.Writer.TryComplete();

    private void Beat() => Interlocked.Exchange(ref _heartbeatTicks, clock.GetUtcNow().UtcTicks);
}
