using BranchConnector.Agent.Tools;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>Runs every request inside a network namespace (<c>ip netns exec NS tool args</c>), keeping stdin and Mutates.</summary>
public sealed class NamespacedCommandRunner(ICommandRunner inner, string ns) : ICommandRunner
{
    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
        inner.RunAsync(request with { FileName = "ip", Arguments = ["netns", "exec", ns, request.FileName, .. request.Arguments] }, cancellationToken);
}
