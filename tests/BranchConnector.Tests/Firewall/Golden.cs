using System.Runtime.CompilerServices;

namespace BranchConnector.Tests.Firewall;

/// <summary>
/// Compares text with tests/BranchConnector.Tests/Firewall/golden/NAME. Set BC_UPDATE_GOLDEN=1 to rewrite the
/// files from the current output instead (then review the diff before committing).
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(callerFile)!, "golden", name);
        if (Environment.GetEnvironmentVariable("BC_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing; run with BC_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    public static string Read(string name, [CallerFilePath] string callerFile = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(callerFile)!, "golden", name));
}
