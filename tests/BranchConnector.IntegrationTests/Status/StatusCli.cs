using BranchConnector.Agent.Tools;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Status;

/// <summary>The published CLI as a separate process (optionally as another user through setpriv).</summary>
internal static class StatusCli
{
    public static Task<CommandResult> RunAsync(params string[] args) => Sh.RunAsync(AgentBinary.Path, args);

    /// <summary>
    /// Runs a copy of the binary as <paramref name="user"/>: the checkout may lie under a 0700 directory (a CI
    /// `mktemp -d`) that another user cannot traverse, so the copy goes to a fresh 0755 directory under /tmp
    /// and is removed afterwards.
    /// </summary>
    public static async Task<CommandResult> RunAsUserAsync(string user, params string[] args)
    {
        const UnixFileMode Reachable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        var dir = Path.Combine("/tmp", "bc-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir, Reachable);
        try
        {
            var copy = Path.Combine(dir, "branch-connector");
            File.Copy(AgentBinary.Path, copy);
            File.SetUnixFileMode(copy, Reachable);
            return await Sh.RunAsync("runuser", ["-u", user, "--", copy, .. args]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static Task<CommandResult> RunInNamespaceAsync(string ns, params string[] args) =>
        Sh.RunAsync("ip", ["netns", "exec", ns, AgentBinary.Path, .. args]);

    public static async Task WaitForSocketAsync(AgentProcess agent)
    {
        var path = Path.Combine(agent.RuntimeDir, "agent.sock");
        for (var i = 0; i < 300; i++)
        {
            if (File.Exists(path)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no status socket at {path}:\n{agent.Output}");
    }
}
