namespace BranchConnector.Tests.Config;

/// <summary>A fresh folder under /tmp, removed with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bc-test-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relativePath, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var file = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, mode); // the tests run on Linux; the guard satisfies CA1416
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
