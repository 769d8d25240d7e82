namespace BranchConnector.Agent.State;

/// <summary>
/// Writes a file so that a crash or a full disk leaves either the old or the new content, never a torn one:
/// temp file in the same folder, fsync, keep the previous as .bak (a hard link: needs no space), rename over.
/// A write that fails removes its temp file and leaves the old file and its .bak untouched.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct, bool keepBackup = false)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
            Options = FileOptions.Asynchronous,
        };
        try
        {
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(content, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            // File.Replace links the current file to .bak before renaming: unlike a copy it cannot leave a
            // half-written .bak when the disk is full.
            if (keepBackup && File.Exists(path)) File.Replace(temp, path, path + ".bak", ignoreMetadataErrors: true);
            else File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public static Task WriteTextAsync(string path, string content, CancellationToken ct, bool keepBackup = false) =>
        WriteAsync(path, System.Text.Encoding.UTF8.GetBytes(content), ct, keepBackup);

    public static async Task<byte[]?> ReadIfExistsAsync(string path, CancellationToken ct) =>
        File.Exists(path) ? await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false) : null;

    public static void DeleteWithBackup(string path)
    {
        File.Delete(path);
        File.Delete(path + ".bak");
    }
}
