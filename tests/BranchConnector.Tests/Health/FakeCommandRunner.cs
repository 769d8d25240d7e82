using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.Health;

/// <summary>Answers each command line from a table and records what was asked.</summary>
internal sealed class FakeCommandRunner(Func<CommandRequest, (int Exit, string Stdout, string Stderr)> answer) : ICommandRunner
{
    public List<CommandRequest> Requests { get; } = [];

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var (exit, stdout, stderr) = answer(request);
        return Task.FromResult(new CommandResult(request, exit, stdout, stderr, TimeSpan.FromMilliseconds(1), false));
    }
}
