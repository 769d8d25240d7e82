using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Every change to the box goes through this one queue and is handled one at a time, so a batch, a peering
/// message, a drift check and a lifecycle command never interleave. The loop's heartbeat feeds the watchdog:
/// a hung reconciler stops the heartbeat and systemd restarts the agent.
/// Documents coalesce (<see cref="EnqueueLatest"/>): a waiting document that a newer one of the same kind
/// makes pointless is not applied; its place in the queue runs a small "superseded" step instead, and its
/// payload is let go at once, so a flood of documents holds one payload per kind, not one per message.
/// </summary>
public sealed class WorkQueue(ILogger<WorkQueue> logger, TimeProvider clock)
{
    private sealed class Item(string name, Func<CancellationToken, Task> work, string? key, long order, Func<CancellationToken, Task>? superseded)
    {
        public string Name { get; } = name;
        public string? Key { get; } = key;
        public long Order { get; } = order;
        /// <summary>Null once superseded: the closure (and the payload it holds) is released.</summary>
        public Func<CancellationToken, Task>? Work { get; set; } = work;
        public Func<CancellationToken, Task>? Superseded { get; } = superseded;
    }

    private readonly Channel<Item> _channel = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Item>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _newest = new(StringComparer.Ordinal);
    private long _heartbeatTimestamp = clock.GetTimestamp();

    /// <summary>When the loop last proved it was alive (idle counts: it is waiting, not stuck).</summary>
    /// <remarks>
    /// Kept as a monotonic timestamp and turned into "now minus its age" when read, so the watchdog's
    /// now − heartbeat is the real age even right after the wall clock jumped.
    /// </remarks>
    public DateTimeOffset Heartbeat => clock.GetUtcNow() - clock.GetElapsedTime(Interlocked.Read(ref _heartbeatTimestamp));
    public bool Busy { get; private set; }

    public void Enqueue(string name, Func<CancellationToken, Task> work) => Write(new Item(name, work, null, 0, null));

    /// <summary>
    /// Queues <paramref name="work"/> for a document of kind <paramref name="key"/> and <paramref name="order"/>
    /// (its sequence; null when unreadable, which never supersedes and is never superseded). Every waiting
    /// document of the same kind with a lower order is superseded: it will run <paramref name="superseded"/>
    /// (its Confirm) instead of its work.
    /// </summary>
    public void EnqueueLatest(string key, long? order, string name, Func<CancellationToken, Task> work, Func<CancellationToken, Task> superseded)
    {
        var item = new Item(name, work, order is null ? null : key, order ?? 0, superseded);
        if (order is { } newer)
        {
            lock (_lock)
            {
                if (!_waiting.TryGetValue(key, out var waiting)) _waiting[key] = waiting = [];
                foreach (var old in waiting.Where(w => w.Work is not null && w.Order < newer))
                {
                    old.Work = null;
                    logger.LogInformation("{Work} {Old} superseded by {New} before it was applied", old.Name, old.Order, newer);
                }
                waiting.RemoveAll(w => w.Work is null);
                waiting.Add(item);
                if (!_newest.TryGetValue(key, out var seen) || seen < newer) _newest[key] = newer;
            }
        }
        Write(item);
    }

    /// <summary>The highest order waiting (or running) for <paramref name="key"/>: who superseded a document.</summary>
    public long? NewestWaiting(string key)
    {
        lock (_lock) return _newest.TryGetValue(key, out var n) ? n : null;
    }

    private void Write(Item item)
    {
        if (!_channel.Writer.TryWrite(item)) logger.LogWarning("work queue closed: {Work} dropped", item.Name);
    }

    /// <summary>Takes the item out of the waiting set; returns what to run for it.</summary>
    private Func<CancellationToken, Task> Start(Item item)
    {
        if (item.Key is null) return item.Work!;
        lock (_lock)
        {
            if (_waiting.TryGetValue(item.Key, out var waiting)) waiting.Remove(item);
            return item.Work ?? item.Superseded!;
        }
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
                    await Start(item)(ct).ConfigureAwait(false);
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

    private void Beat() => Interlocked.Exchange(ref _heartbeatTimestamp, clock.GetTimestamp());
}
