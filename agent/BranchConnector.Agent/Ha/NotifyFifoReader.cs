using System.Text;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// Reads keepalived's notify FIFO line by line and hands each instance event on at once (HaState within
/// 100 ms). The FIFO is opened read-write: opening never blocks, and the read never sees end-of-file while
/// keepalived restarts. keepalived opens it read-write too, so what it writes while no agent runs (an agent
/// restart) waits in the pipe and is read by the next agent.
/// </summary>
public sealed class NotifyFifoReader(string path, Func<NotifyLine, Task> onEvent, ILogger logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (!File.Exists(path))
            {
                try { await Task.Delay(Poll, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                continue;
            }
            try
            {
                await ReadAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (IOException e)
            {
                logger.LogWarning("ha: reading {Fifo}: {Message}", path, e.Message);
                try { await Task.Delay(Poll, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task ReadAsync(CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite };
        await using var stream = new FileStream(path, options);
        // A read on a pipe does not end on cancellation: a newline written into the FIFO wakes it.
        await using var wake = ct.Register(() => Wake());
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (!ct.IsCancellationRequested)
        {
            var line = await Task.Run(reader.ReadLine, CancellationToken.None).ConfigureAwait(false);
            if (line is null) return;
            if (NotifyLine.Parse(line) is { } parsed) await onEvent(parsed).ConfigureAwait(false);
            else if (line.Length > 0) logger.LogDebug("ha: notify line not for us: {Line}", line);
        }
    }

    private void Wake()
    {
        try
        {
            using var writer = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite });
            writer.WriteByte((byte)'\n');
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Whether the FIFO is still there (a cleanup removes it).</summary>
    public bool Exists => File.Exists(path);
}
