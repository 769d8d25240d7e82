namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// Reads sysctls straight from /proc/sys (no process per observe). The agent's network namespace decides what
/// net.* shows, so a namespaced test reads its own namespace's values. A lookup function stands in for a fake
/// kernel in unit tests.
/// </summary>
public sealed class SysctlReader
{
    private readonly Func<string, CancellationToken, Task<string?>> _read;

    public SysctlReader(string procSys = "/proc/sys") => _read = (key, ct) => ReadFileAsync(procSys, key, ct);

    public SysctlReader(Func<string, string?> lookup) => _read = (key, _) => Task.FromResult(lookup(key));

    /// <summary>The value of each readable key; an absent or unreadable key is left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
            if (await _read(key, ct).ConfigureAwait(false) is { } value) values[key] = value.Trim();
        return values;
    }

    private static async Task<string?> ReadFileAsync(string procSys, string key, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllTextAsync(Path.Combine(procSys, DesiredSysctl.RelativePath(key)), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left out: the planner then writes it if wanted, and the write names the problem.
            return null;
        }
    }
}
