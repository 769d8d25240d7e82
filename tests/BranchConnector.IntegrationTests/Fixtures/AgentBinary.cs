namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>
/// The published single-file agent the end-to-end tests run (so trimming problems show up): BC_AGENT_BINARY,
/// else artifacts/bin/branch-connector in the repository (scripts/build.sh makes it; test.sh runs it first).
/// </summary>
public static class AgentBinary
{
    public static string Path
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("BC_AGENT_BINARY");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "BranchConnector.sln"))) dir = dir.Parent;
            var path = dir is null ? null : System.IO.Path.Combine(dir.FullName, "artifacts", "bin", "branch-connector");
            if (path is null || !File.Exists(path))
                throw new FileNotFoundException("the published agent is missing: run scripts/build.sh (or set BC_AGENT_BINARY)", path);
            return path;
        }
    }
}
