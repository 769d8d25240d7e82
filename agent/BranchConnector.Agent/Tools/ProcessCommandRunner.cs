using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Tools;

/// <summary>
/// Runs a tool directly (never through a shell) with an argument list, optional stdin and a timeout. Every
/// process the agent starts goes through here, wireguard-go included, without systemd's notify variables.
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
        var psi = new ProcessStartInfo(request.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in request.Arguments) psi.ArgumentList.Add(arg);
        // Tools must print in the C locale so parsers see stable text.
        psi.Environment["LC_ALL"] = "C";
        ChildEnvironment.Scrub(psi.Environment);

        var started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new CommandResult(request, 127, "", $"cannot start {request.FileName}: {ex.Message}", Stopwatch.GetElapsedTime(started), false);
        }
        Interlocked.Increment(ref _spawned);
        if (request.Mutates) Interlocked.Increment(ref _spawnedMutating);

        var stdoutTask = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderrTask = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        var timedOut = false;
        try
        {
            if (request.Stdin is not null)
            {
                try
                {
                    await process.StandardInput.WriteAsync(request.Stdin.AsMemory(), timeout.Token).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The tool exited before reading all of stdin; its exit code and stderr say why.
                }
            }
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (!timedOut) throw;
        }

        string stdout, stderr;
        try
        {
            stdout = await stdoutTask.ConfigureAwait(false);
            stderr = await stderrTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stdout = ""; stderr = "";
        }
        var result = new CommandResult(request, timedOut ? -1 : process.ExitCode, stdout, stderr, Stopwatch.GetElapsedTime(started), timedOut);
        if (logger is not null && logger.IsEnabled(LogLevel.Debug))
            logger.LogDebug("ran {Command} exit={Exit} in {Ms} ms", request.CommandLine, result.ExitCode, (int)result.Duration.TotalMilliseconds);
        return result;
    }
}
