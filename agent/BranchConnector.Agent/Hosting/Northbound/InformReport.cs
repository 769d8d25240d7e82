using BranchConnector.Agent.Health.Stun;
using BranchConnector.Agent.Protocol;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>
/// Inform: every `monitoring.inform_interval_s` asks the hub for the time, checks STUN and publishes; right
/// after an apply it publishes only when something in it (timestamps aside) changed.
/// </summary>
public sealed class InformReport(
    Publisher publisher, Reports reports, AgentTopics topics, AgentState state, TimeSync time, StunClient stun,
    TimeProvider clock, ILogger<InformReport> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task RunAsync(CancellationToken ct)
    {
        await OnceAsync(ct).ConfigureAwait(false);
        await Periodic.RunAsync(clock, () => TimeSpan.FromSeconds(state.Monitoring.InformIntervalS), OnceAsync, ct).ConfigureAwait(false);
    }

    private async Task OnceAsync(CancellationToken ct)
    {
        var monitoring = state.Monitoring;
        try
        {
            await time.RequestAsync(ct).ConfigureAwait(false);
            await time.RefreshNtpAsync(ct).ConfigureAwait(false);
            if (monitoring.StunServers.Count > 0)
                state.SetStun(await stun.CheckAsync(monitoring.StunServers, cancellationToken: ct).ConfigureAwait(false));
            await PublishAsync(onlyIfChanged: false, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("inform: {Message}", ex.Message);
        }
    }

    /// <summary>
    /// Publishes when something in Inform changed (timestamps aside), or unconditionally once the interval has
    /// passed (a little early, so the periodic tick never just misses it).
    /// </summary>
    public async Task PublishAsync(bool onlyIfChanged, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var inform = await reports.InformAsync(ct).ConfigureAwait(false);
            var signature = Convert.ToBase64String(ProtocolJson.Serialize(inform with { SentAt = default, UptimeS = 0 }));
            var last = publisher.LastSent(topics.Inform);
            var due = !onlyIfChanged
                && (last is null || clock.GetElapsedTime(last.Timestamp) >= TimeSpan.FromSeconds(state.Monitoring.InformIntervalS) - TimeSpan.FromMilliseconds(300));
            if (signature == last?.Signature && !due) return;
            await publisher.PublishAsync(topics.Inform, ProtocolJson.Serialize(inform), 1, false, signature, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
