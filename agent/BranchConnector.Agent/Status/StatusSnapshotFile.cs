using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Status;

/// <summary>`state_dir/status.json`: the last status the daemon saw, for `status` when the daemon is not running.</summary>
public static class StatusSnapshotFile
{
    public const string FileName = "status.json";

    public static string PathIn(string stateDir) => Path.Combine(stateDir, FileName);

    public static Task WriteAsync(string stateDir, StatusSnapshot snapshot, CancellationToken ct) =>
        AtomicFile.WriteAsync(PathIn(stateDir), StatusJson.Bytes(snapshot with { Source = StatusSnapshot.FromSnapshot }), ct);

    /// <summary>Null when there is none (never written, unreadable, or not a snapshot).</summary>
    public static async Task<StatusSnapshot?> ReadAsync(string stateDir, CancellationToken ct)
    {
        byte[]? bytes;
        try
        {
            bytes = await AtomicFile.ReadIfExistsAsync(PathIn(stateDir), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return bytes is null ? null : StatusJson.ParseSnapshot(bytes) is { } s ? s with { Source = StatusSnapshot.FromSnapshot } : null;
    }
}
