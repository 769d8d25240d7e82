using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.State;

/// <summary>
/// Which files in state_dir the agent could not write, and why (a full or read-only disk). A failed save
/// does not stop the agent: the kernel state is what matters, the old file stays whole (see
/// <see cref="AtomicFile"/>), and the failure is shown in status and in the Confirm of the document concerned
/// until a later save of the same file succeeds.
/// </summary>
public sealed class PersistenceHealth(ILogger? logger = null, TimeProvider? clock = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Message, DateTimeOffset Since, long Event)> _failing = new(StringComparer.Ordinal);
    private long _events;

    /// <summary>Records a failed write; true when the file was not failing before (worth a log line).</summary>
    public bool Failed(string file, Exception error)
    {
        lock (_lock)
        {
            var fresh = !_failing.TryGetValue(file, out var old);
            _failing[file] = (error.Message, fresh ? (clock ?? TimeProvider.System).GetUtcNow() : old.Since, ++_events);
            return fresh;
        }
    }

    /// <summary>Records a successful write; true when the file was failing before.</summary>
    public bool Succeeded(string file)
    {
        lock (_lock) return _failing.Remove(file);
    }

    /// <summary>A point in time for <see cref="ProblemsSince"/>.</summary>
    public long Mark()
    {
        lock (_lock) return _events;
    }

    /// <summary>The files whose last write failed after <paramref name="mark"/> and still fail.</summary>
    public IReadOnlyList<string> ProblemsSince(long mark)
    {
        lock (_lock) return [.. _failing.Where(f => f.Value.Event > mark).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Text(f.Key, f.Value.Message))];
    }

    /// <summary>Every file that currently cannot be written, for status.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lock) return [.. _failing.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => Text(f.Key, f.Value.Message) + $" (since {f.Value.Since:yyyy-MM-dd'T'HH:mm:ss'Z'})")];
        }
    }

    /// <summary>Runs one save; an I/O failure is recorded instead of thrown. True when the file was written.</summary>
    public async Task<bool> TryAsync(string file, Func<Task> save)
    {
        try
        {
            await save().ConfigureAwait(false);
            if (Succeeded(file)) logger?.LogInformation("state_dir: {File} saved again", file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Failed(file, e)) logger?.LogError("{Problem}; the agent keeps running on what it holds in memory", Text(file, e.Message));
            return false;
        }
    }

    private static string Text(string file, string message) => $"state_dir: cannot save {file}: {message}";
}
