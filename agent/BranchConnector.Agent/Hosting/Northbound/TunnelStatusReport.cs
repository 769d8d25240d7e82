using BranchConnector.Agent.Health;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>
/// TunnelStatus: a full report every `monitoring.tunnel_status_interval_s`; in between, a cheap poll publishes
/// at once when a tunnel's or a peer's status changes. Forced after every apply and relay switch.
/// </summary>
public sealed class TunnelStatusReport(
    Publisher publisher, Reports reports, AgentTopics topics, AgentState state, EndpointResolver resolver, StateReport stateReport,
    TimeProvider clock, ILogger<TunnelStatusReport> logger)
{
    public async Task PublishAsync(bool force, CancellationToken ct)
    {
        var tunnels = await reports.TunnelsAsync(ct).ConfigureAwait(false);
        // A hub behind a name may have moved: without a live handshake the next apply resolves the name again.
        if (state.Config.Backbone?.Hub?.Endpoint is { } hubEndpoint
            && tunnels.Any(t => t.Kind == TunnelStatusPayload.Backbone && t.Status == TunnelHealth.Down))
            resolver.Forget(hubEndpoint);
        var signature = string.Join("|", tunnels.Select(t => $"{t.Interface}:{t.Status}:" + string.Join(",", t.Peers?.Select(p => $"{p.Serial}:{p.Path}:{p.Status}") ?? [])));
        if (!force && signature == publisher.LastSent(topics.TunnelStatus)?.Signature) return;
        await publisher.PublishAsync(topics.TunnelStatus, ProtocolJson.Serialize(reports.TunnelStatus(tunnels)), 1, false, signature, ct).ConfigureAwait(false);
        await stateReport.PublishAsync(force: false, ct).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        long? lastFull = null; // monotonic: a wall clock set back must not hold the full report back
        while (!ct.IsCancellationRequested)
        {
            var interval = TimeSpan.FromSeconds(state.Monitoring.TunnelStatusIntervalS);
            var poll = TimeSpan.FromSeconds(Math.Clamp(interval.TotalSeconds / 4, 1, 5));
            await Task.Delay(poll, clock, ct).ConfigureAwait(false);
            var due = lastFull is not { } l || clock.GetElapsedTime(l) >= interval;
            try
            {
                await PublishAsync(force: due, ct).ConfigureAwait(false);
                if (due) lastFull = clock.GetTimestamp();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("tunnel status: {Message}", ex.Message);
            }
        }
    }
}
