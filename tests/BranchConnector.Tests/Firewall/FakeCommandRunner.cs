using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.Firewall;

/// <summary>Answers by program name from canned output and records every request (unit tests only).</summary>
internal sealed class FakeCommandRunner : ICommandRunner
{
    private readonly Dictionary<string, (int Exit, string Stdout)> _answers = new(StringComparer.Ordinal);
    public List<CommandRequest> Requests { get; } = [];

    public FakeCommandRunner Answer(string fileName, string stdout, int exit = 0)
    {
        _answers[fileName] = (exit, stdout);
        return this;
    }

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var (exit, stdout) = _answers.TryGetValue(request.FileName, out var a) ? a : (127, "");
        var stderr = exit == 127 ? $"cannot start {request.FileName}" : "";
        return Task.FromResult(new CommandResult(request, exit, stdout, stderr, TimeSpan.Zero, false));
    }
}
