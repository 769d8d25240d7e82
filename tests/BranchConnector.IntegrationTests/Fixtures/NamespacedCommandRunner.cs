using BranchConnector.Agent.Tools;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>Runs every request inside a network namespace: `ip netns exec NS FILE ARGS...`, stdin and flags unchanged.</summary>
public sealed class NamespacedCommandRunner(ICommandRunner inner, string ns) : ICommandRunner
{
    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
        inner.RunAsync(request with { FileName = "ip", Arguments = ["netns", "exec", ns, request.FileName, .. request.Arguments] }, cancellationToken);
}
