using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Lab;

/// <summary>
/// Runs scripts/demo.sh (the README's end-to-end walk-through) with the published agent and the built test hub,
/// so the demo cannot rot. Steps that need features still being written say so in the demo's own output
/// ("[needs: …]", "FALLBACK"); the test fails whenever the demo does, naming the failed steps.
/// </summary>
public partial class DemoScriptTests
{
    [Fact]
    public async Task The_demo_runs_every_step_and_exits_zero()
    {
        var repo = RepositoryRoot();
        var psi = new ProcessStartInfo("bash", [Path.Combine(repo, "scripts", "demo.sh")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = repo,
        };
        psi.Environment["BC_DEMO_SKIP_BUILD"] = "1";
        psi.Environment["BC_AGENT_BINARY"] = AgentBinary.Path;
        psi.Environment["BC_TESTHUB"] = TestHubPath(repo);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGINT: the demo's trap removes its namespaces and processes.
            await Sh.RunAsync("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await process.WaitForExitAsync(CancellationToken.None);
        }
        process.WaitForExit();
        var text = output.ToString();

        var failed = FailedStep().Matches(text).Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.True(process.ExitCode == 0,
            $"demo.sh exited {process.ExitCode}; failed steps: [{string.Join("; ", failed)}]\n{text}");
        Assert.Empty(failed);
        Assert.Contains("demo: all steps passed", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s+FAILED\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex FailedStep();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BranchConnector.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (BranchConnector.sln) not found");
    }

    /// <summary>BC_TESTHUB, else the test hub built with this configuration (the test project builds it).</summary>
    private static string TestHubPath(string repo)
    {
        if (Environment.GetEnvironmentVariable("BC_TESTHUB") is { Length: > 0 } fromEnv) return fromEnv;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(repo, "tests", "BranchConnector.TestHub", "bin", configuration, "net10.0", "testhub");
        Assert.True(File.Exists(path), $"the test hub is missing at {path}: dotnet build tests/BranchConnector.TestHub -c {configuration}");
        return path;
    }
}
