using BranchConnector.Agent.Tools;

namespace BranchConnector.IntegrationTests.Health;

/// <summary>Runs every command inside a network namespace (`ip netns exec`), as an agent started there would.</summary>
internal sealed class NetnsCommandRunner(string netns) : ICommandRunner
{
    private readonly ProcessCommandRunner _inner = new();

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
        _inner.RunAsync(request with { FileName = "ip", Arguments = ["netns", "exec", netns, request.FileName, .. request.Arguments] }, cancellationToken);
}
