namespace BranchConnector.Agent.Tools;

/// <summary>Every external tool the agent runs goes through this, so tests can record or replace it.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken);
}
