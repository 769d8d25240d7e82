using BranchConnector.Agent.Cli;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
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
        AgentServices services;
        AgentRuntime runtime;
        // A slow start (emulation, load, a large state to restore) must not run into TimeoutStartSec.
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var keepalive = StartupKeepalive.RunAsync(notifier, TimeProvider.System, starting.Token);
        try
        {
            PrepareDirectories(settings);
            if ((await new StateStore(settings.StateDir).LoadAsync(stop.Token).ConfigureAwait(false)).LifecycleState == LifecycleState.Decommissioned)
            {
                log.LogCritical("this connector ({Serial}) was decommissioned: it will not run again; purge and reinstall the package to reuse the box", settings.Serial);
                return ExitCodes.Decommissioned;
            }
            var password = BrokerPasswordReader.Read(settings);

            var runner = new ProcessCommandRunner(loggers.CreateLogger<ProcessCommandRunner>());
            services = await AgentServices.CreateAsync(settings, loggers, runner, TimeProvider.System, stop.Token).ConfigureAwait(false);
            log.LogInformation("WireGuard: {Implementation} ({Reason}); firewall: {Firewall}", services.WireGuard.Name, services.WireGuard.Reason, services.FirewallBackendName);
            runtime = new AgentRuntime(services, password) { StatusLine = line => notifier.Status(line) };
            await runtime.StartAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // SIGTERM while starting (systemd stop right after start) is a clean stop too.
            log.LogInformation("stopping on {Reason} during start-up", termination.Received?.ToString() ?? "cancellation");
            return ExitCodes.Ok;
        }
        finally
        {
            await starting.CancelAsync().ConfigureAwait(false);
            await keepalive.ConfigureAwait(false);
        }

        notifier.Ready();
        notifier.Status($"{settings.Serial}: {services.State.PersistedLifecycle.ToWire()}, config {services.State.Persisted.Config?.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        var watchdog = notifier.RunWatchdogAsync(() => services.Work.Heartbeat, services.Clock, stop.Token);
        try
        {
            await runtime.RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The normal way out.
        }

        notifier.Stopping();
        await watchdog.ConfigureAwait(false);
        // The SAs stay up and keep counting; the record taken now narrows what a later reboot must skip.
        await services.SequenceRecorder.RecordOnceAsync(CancellationToken.None).ConfigureAwait(false);
        if (runtime.SelfStopExitCode is { } code) return code;
        log.LogInformation("stopping on {Reason}; the data plane stays up", termination.Received?.ToString() ?? "cancellation");
        return ExitCodes.Ok;
    }

    private static void PrepareDirectories(AgentSettings settings)
    {
        Directory.CreateDirectory(settings.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(settings.RuntimeDir);
    }
}
