using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Reconcile;

/// <summary>Where an apply stopped: the command, its result (redacted), and the object it was changing when known.</summary>
public sealed record ApplyFailure(PlannedCommand Command, CommandResult Result, PlannedChange? FailingChange)
{
    /// <summary>The failing command line; for an `ip -batch` the failing stdin line is named too (never secret stdin).</summary>
    public string CommandText =>
        Command.Request.StdinIsSecret || IpBatchFailure.FailingLine(Command.Request.Stdin, Result.Stderr) is not { } line
            ? Command.Request.CommandLine
            : $"{Command.Request.CommandLine} ({line})";

    public string Stderr => SecretRedactor.Redact(Result.Stderr.Trim());
}

public sealed record ApplyResult(int CommandsRun, ApplyFailure? Failure)
{
    public bool Succeeded => Failure is null;

    /// <summary>Steps that could not be done on this kernel but did not stop the apply (an SA without ESP support).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Runs a plan's commands in order and stops at the first failure.</summary>
public sealed class PlanApplier(ICommandRunner runner)
{
    public async Task<ApplyResult> ApplyAsync(ReconcilePlan plan, CancellationToken ct)
    {
        var run = 0;
        var warnings = new List<string>();
        foreach (var command in plan.Commands)
        {
            var result = await runner.RunAsync(command.Request, ct).ConfigureAwait(false);
            run++;
            if (result.Succeeded) continue;
            // A kernel without ESP cannot hold SAs; the spec wants the rest of the peering applied and the
            // missing support named, so this one failure is reported instead of stopping the apply.
            if (command.Stage == Stage.Xfrm && !command.IsRemoval && EspSupport.ExplainFailure(result.Stderr) is { } why)
            {
                warnings.Add($"{why}: {command.Changes.Count} IPSec SA changes not installed, policies applied");
                continue;
            }
            return new ApplyResult(run, new ApplyFailure(command, result, IpBatchFailure.FailingChange(command, result.Stderr))) { Warnings = warnings };
        }
        return new ApplyResult(run, null) { Warnings = warnings };
    }
}
