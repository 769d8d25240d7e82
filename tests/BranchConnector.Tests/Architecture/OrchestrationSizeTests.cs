namespace BranchConnector.Tests.Architecture;

/// <summary>
/// Issue 13's rule for the daemon's orchestration (Hosting/, Reconcile/): no file over ~150 lines, so each
/// class stays one concept a newcomer can read at once. Split a file this names rather than raising the limit.
/// </summary>
public sealed class OrchestrationSizeTests
{
    private const int Limit = 150;

    [Fact]
    public void No_orchestration_file_is_over_150_lines()
    {
        var agent = Path.Combine(RepoRoot(), "agent", "BranchConnector.Agent");
        var over = new[] { "Hosting", "Reconcile" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(agent, folder), "*.cs", SearchOption.AllDirectories))
            .Select(file => (Name: Path.GetRelativePath(agent, file), Lines: File.ReadLines(file).Count()))
            .Where(f => f.Lines > Limit)
            .ToList();

        Assert.True(over.Count == 0, "over " + Limit + " lines: " + string.Join(", ", over.Select(f => $"{f.Name} ({f.Lines})")));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BranchConnector.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("BranchConnector.sln not found above " + AppContext.BaseDirectory);
    }
}
