using System.Text;
using CliWrap;

namespace BranchConnector.Agent.Tools;

/// <summary>
/// Collects a tool's output as UTF-8 text up to <see cref="Limit"/> bytes and drains (discards) the rest, so a
/// runaway tool can neither fill the agent's memory nor block on a full pipe. <see cref="Truncated"/> says so.
/// </summary>
internal sealed class BoundedTextTarget(int limit) : PipeTarget
{
    private readonly MemoryStream _kept = new();

    public int Limit { get; } = limit;

    public bool Truncated { get; private set; }

    public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);

    public override async Task CopyFromAsync(Stream origin, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await origin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var room = Limit - (int)_kept.Length;
            if (read > room) Truncated = true;
            if (room > 0) _kept.Write(buffer, 0, Math.Min(room, read));
        }
    }
}
