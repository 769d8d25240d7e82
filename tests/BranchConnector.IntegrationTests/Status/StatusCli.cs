using BranchConnector.Agent.Tools;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Status;

/// <summary>The published CLI as a separate process (optionally as another user through setpriv).</summary>
internal static class StatusCli
{
    public static Task<CommandResult> RunAsync(params string[] args) => Sh.RunAsync(AgentBinary.Path, args);

    public static Task<CommandResult> RunAsUserAsync(string user, params string[] args) =>
        Sh.RunAsync("runuser", ["-u", user, "--", AgentBinary.Path, .. args]);

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
