using BranchConnector.Agent.Tools;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>Runs test-side tools through the agent's own runner (no shell).</summary>
public static class Sh
{
    private static readonly ProcessCommandRunner Runner = new();

    public static Task<CommandResult> RunAsync(string file, params string[] args) =>
        Runner.RunAsync(new CommandRequest(file, args) { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);

    public static async Task<string> OkAsync(string file, params string[] args)
    {
        var r = await RunAsync(file, args);
        if (!r.Succeeded) throw new InvalidOperationException($"test setup failed: {r.Describe()}");
        return r.Stdout;
    }
}
