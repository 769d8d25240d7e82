using BranchConnector.Agent.Cli;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Serilog;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The long-running agent behind `branch-connector run`: the generic host (Microsoft.Extensions.Hosting) with
/// SystemdLifetime (READY=1 once started, STOPPING=1 on stop, SIGTERM), Serilog as its logging, and the agent
/// as its one hosted service (<see cref="AgentHostedService"/>).
/// </summary>
public static class Daemon
{
    /// <summary>Runs until SIGTERM/SIGINT or <paramref name="cancellationToken"/>; returns the exit code (0 on a clean stop).</summary>
    public static async Task<int> RunAsync(AgentSettings settings, AgentLoggerFactory loggers, CancellationToken cancellationToken)
    {
        var log = loggers.CreateLogger("BranchConnector.Daemon");
        // SIGINT too (SystemdLifetime handles only SIGTERM), and which signal it was, for the last line.
        using var termination = new TerminationSignal();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(termination.Token, cancellationToken);

        log.LogInformation("{Program} {Version} starting for serial {Serial}", AgentInfo.ProgramName, AgentInfo.Version, settings.Serial);
        IHost host;
        AgentHostedService agent;
        AgentRuntime runtime;
        var notifier = SystemdNotifier.FromEnvironment();
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
            // Settings the daemon checks itself (password and certificate files) fail here, before any host, as exit 78.
            var password = BrokerPasswordReader.Read(settings);
            var runner = new ProcessCommandRunner(loggers.CreateLogger<ProcessCommandRunner>());
            var services = await AgentServices.CreateAsync(settings, loggers, runner, TimeProvider.System, stop.Token).ConfigureAwait(false);
            log.LogInformation("WireGuard: {Implementation} ({Reason}); firewall: {Firewall}", services.WireGuard.Name, services.WireGuard.Reason, services.FirewallBackendName);

            runtime = new AgentRuntime(services, password) { StatusLine = line => notifier.Status(line) };
            host = BuildHost(loggers, notifier, runtime);
            agent = host.Services.GetRequiredService<AgentHostedService>();
            await host.StartAsync(stop.Token).ConfigureAwait(false);
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

        using (host)
        {
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            using (stop.Token.Register(lifetime.StopApplication))
                await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
        if (agent.Failure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        if (runtime.SelfStopExitCode is { } code) return code;
        log.LogInformation("stopping on {Reason}; the data plane stays up", termination.Received?.ToString() ?? "cancellation");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// An empty host (no configuration files, environment or command-line sources: agent.yaml is the only
    /// configuration) with SystemdLifetime registered whether or not systemd is the parent, so NOTIFY_SOCKET
    /// alone decides (tests and `systemd-run` set it without being PID 1's child).
    /// </summary>
    private static IHost BuildHost(AgentLoggerFactory loggers, SystemdNotifier notifier, AgentRuntime runtime)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog(loggers.Serilog, dispose: false);
        builder.Services.AddSingleton(notifier);
        builder.Services.AddSingleton<ISystemdNotifier>(notifier);
        builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<AgentHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentHostedService>());
        return builder.Build();
    }

    private static void PrepareDirectories(AgentSettings settings)
    {
        Directory.CreateDirectory(settings.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(settings.RuntimeDir);
    }
}
