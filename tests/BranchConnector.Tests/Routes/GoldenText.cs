using System.Runtime.CompilerServices;

namespace BranchConnector.Tests.Routes;

/// <summary>
/// Checked-in text under golden/ next to the calling test file. Regenerate with
/// `BC_UPDATE_GOLDEN=1 dotnet test tests/BranchConnector.Tests --filter "FullyQualifiedName~Routes|FullyQualifiedName~Interfaces"`,
/// then review the diff with git.
/// </summary>
internal static class GoldenText
{
    public static string Read(string name, [CallerFilePath] string caller = "") => File.ReadAllText(PathOf(name, caller));

    public static void AssertMatches(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = PathOf(name, caller);
        if (Environment.GetEnvironmentVariable("BC_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing; regenerate with BC_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static string PathOf(string name, string caller) => Path.Combine(Path.GetDirectoryName(caller)!, "golden", name);
}
