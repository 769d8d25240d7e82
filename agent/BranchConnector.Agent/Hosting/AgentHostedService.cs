using BranchConnector.Agent.Lifecycle;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The agent inside the generic host. <see cref="StartAsync"/> is the start-up reconcile from the persisted
/// state, so the host's ApplicationStarted (and with it SystemdLifetime's READY=1) follows a configured data
/// plane; then the agent's loops and the watchdog run until the host stops or the agent stops itself.
/// </summary>
internal sealed class AgentHostedService(
    AgentRuntime runtime, SystemdNotifier notifier, IHostApplicationLifetime lifetime, ILogger<AgentHostedService> log) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    /// <summary>What ended the run loop other than a stop, rethrown by the daemon once the host is down.</summary>
    public Exception? Failure { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        var s = runtime.Services;
        notifier.Status($"{s.Settings.Serial}: {s.State.PersistedLifecycle.ToWire()}, config {s.State.Persisted.Config?.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        _running = RunAsync(_stop.Token);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        // Off the host's start-up path: StartAsync returns, the host announces READY=1, this runs on.
        await Task.Yield();
        var s = runtime.Services;
        var watchdog = notifier.RunWatchdogAsync(() => s.Work.Heartbeat, s.Clock, stop);
        try
        {
            await runtime.RunAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The normal way out.
        }
        catch (Exception e)
        {
            Failure = e;
        }
        finally
        {
            // A decommission (or a failure) ends the loops by itself: the whole host stops with them.
            if (!stop.IsCancellationRequested) lifetime.StopApplication();
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
    }

    /// <summary>
    /// SystemdLifetime has sent STOPPING=1 (ApplicationStopping). The work item in hand finishes: the host's
    /// shutdown timeout is not applied to it, since cutting an apply short is what the rollback exists to avoid.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        // The SAs stay up and keep counting; the record taken now narrows what a later reboot must skip.
        await runtime.Services.SequenceRecorder.RecordOnceAsync(CancellationToken.None).ConfigureAwait(false);
        log.LogDebug("agent loops stopped");
    }
}
