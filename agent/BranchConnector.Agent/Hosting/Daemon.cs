using BranchConnector.Agent.Config;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>The long-running agent behind `branch-connector run`.</summary>
public static class Daemon
{
    /// <summary>Runs until SIGTERM/SIGINT or <paramref name="cancellationToken"/>; returns the exit code (0 on a clean stop).</summary>
    public static async Task<int> RunAsync(AgentSettings settings, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var notifier = SystemdNotifier.FromEnvironment();
        return await RunAsync(settings, loggers, notifier, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<int> RunAsync(AgentSettings settings, ILoggerFactory loggers, SystemdNotifier notifier, CancellationToken cancellationToken)
    {
        var log = loggers.CreateLogger("BranchConnector.Daemon");
        using var termination = new TerminationSignal();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(termination.Token, cancellationToken);

        log.LogInformation("{Program} {Version} starting for serial {Serial}", AgentInfo.ProgramName, AgentInfo.Version, settings.Serial);
        notifier.Ready();
        notifier.Status($"running for serial {settings.Serial}");
        var watchdog = notifier.RunWatchdogAsync(stop.Token);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The normal way out.
        }

        notifier.Stopping();
        await watchdog.ConfigureAwait(false);
        log.LogInformation("stopping on {Reason}", termination.Received?.ToString() ?? "cancellation");
        return 0;
    }
}
