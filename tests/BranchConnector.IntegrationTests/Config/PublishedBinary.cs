using System.Diagnostics;
using BranchConnector.Agent.Tools;

namespace BranchConnector.IntegrationTests.Config;

/// <summary>
/// The trimmed single-file agent as shipped: $BC_AGENT_BINARY, else &lt;repo&gt;/artifacts/bin/branch-connector,
/// built once with scripts/build.sh when missing. Trimming problems only show up here.
/// </summary>
public static class PublishedBinary
{
    private static readonly Lazy<Task<string>> Binary = new(LocateOrBuildAsync);

    /// <summary>Environment the agent must not inherit from the test runner (it may itself run under systemd).</summary>
    private static readonly string[] SystemdVariables = ["JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "INVOCATION_ID"];

    public static Task<string> PathAsync() => Binary.Value;

    /// <summary>
    /// Starts the agent with stdout/stderr redirected; <paramref name="environment"/> adds variables. With
    /// <paramref name="netns"/> it runs inside that namespace (`ip netns exec` execs it: the pid is the agent's).
    /// </summary>
    public static async Task<Process> StartAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? netns = null)
    {
        var binary = await PathAsync();
        if (netns is not null) arguments = ["netns", "exec", netns, binary, .. arguments];
        var info = new ProcessStartInfo(netns is null ? binary : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var name in SystemdVariables) info.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {info.FileName}");
    }

    /// <summary>Runs the agent to its end (at most a minute) and returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        using var process = await StartAsync(arguments);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} {string.Join(' ', arguments)} did not exit within a minute");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string> LocateOrBuildAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("BC_AGENT_BINARY");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment) ? fromEnvironment
                : throw new FileNotFoundException($"BC_AGENT_BINARY={fromEnvironment} does not exist");
        }

        var repo = RepositoryRoot();
        var binary = Path.Combine(repo, "artifacts", "bin", "branch-connector");
        if (File.Exists(binary)) return binary;

        var build = await new ProcessCommandRunner().RunAsync(
            new CommandRequest(Path.Combine(repo, "scripts", "build.sh"), []) { Timeout = TimeSpan.FromMinutes(15) },
            CancellationToken.None);
        if (!build.Succeeded || !File.Exists(binary))
            throw new InvalidOperationException($"scripts/build.sh did not produce {binary}: {build.Describe()}");
        return binary;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BranchConnector.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no BranchConnector.sln above {AppContext.BaseDirectory}");
    }
}
