using System.ComponentModel;
using System.Diagnostics;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Tools;

/// <summary>
/// Runs a tool with CliWrap: directly (never through a shell) with an argument vector, optional stdin (the
/// only way secrets reach a tool), its output bounded (<see cref="CommandRequest.MaxOutputBytes"/>) and a
/// timeout that kills the whole process tree. Every process the agent starts goes through here, wireguard-go
/// included, without systemd's notify variables (<see cref="ChildEnvironment"/>).
/// </summary>
public sealed class ProcessCommandRunner(ILogger<ProcessCommandRunner>? logger = null) : ICommandRunner
{
    private long _spawned;
    private long _spawnedMutating;

    /// <summary>Processes started since the runner was created (benchmarks and idempotence checks read it).</summary>
    public long Spawned => Interlocked.Read(ref _spawned);
    public long SpawnedMutating => Interlocked.Read(ref _spawnedMutating);

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var stdout = new BoundedTextTarget(request.MaxOutputBytes);
        var stderr = new BoundedTextTarget(request.MaxOutputBytes);
        var command = CliWrap.Cli.Wrap(request.FileName)
            .WithArguments(request.Arguments)
            .WithEnvironmentVariables(Environment)
            // Null stdin: the tool sees end of input at once, as before.
            .WithStandardInputPipe(request.Stdin is null ? PipeSource.Null : PipeSource.FromString(request.Stdin))
            .WithStandardOutputPipe(stdout)
            .WithStandardErrorPipe(stderr)
            // The exit code is the caller's to judge (a failed `ip route del` of a missing route is normal).
            .WithValidation(CommandResultValidation.None);

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        int exitCode;
        var timedOut = false;
        try
        {
            var task = command.ExecuteAsync(timeout.Token);
            Count(request);
            exitCode = (await task.ConfigureAwait(false)).ExitCode;
        }
        catch (Win32Exception ex)
        {
            // Not found or not executable: the shell's convention, so callers see one kind of failure.
            var reason = (ex.InnerException ?? ex).Message;
            return new CommandResult(request, 127, "", $"cannot start {request.FileName}: {reason}", Stopwatch.GetElapsedTime(started), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // CliWrap has killed the process tree (SIGKILL) and waited for it.
            timedOut = true;
            exitCode = -1;
        }

        var result = new CommandResult(request, exitCode, stdout.Text, stderr.Text, Stopwatch.GetElapsedTime(started), timedOut)
        {
            OutputTruncated = stdout.Truncated || stderr.Truncated,
        };
        if (logger is not null && logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("ran {Command} exit={Exit} in {Ms} ms", request.CommandLine, result.ExitCode, (int)result.Duration.TotalMilliseconds);
        return result;
    }

    private void Count(CommandRequest request)
    {
        Interlocked.Increment(ref _spawned);
        if (request.Mutates) Interlocked.Increment(ref _spawnedMutating);
    }

    /// <summary>Tools print in the C locale so parsers see stable text; systemd's notify variables stay ours.</summary>
    private static void Environment(CliWrap.Builders.EnvironmentVariablesBuilder env)
    {
        env.Set("LC_ALL", "C");
        foreach (var name in ChildEnvironment.Withheld) env.Set(name, null);
    }
}
