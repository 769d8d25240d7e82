using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace BranchConnector.Agent.Metrics;

/// <summary>
/// Serves <see cref="AgentMetrics"/> at http://ADDRESS:PORT/metrics with prometheus-net's HttpListener server
/// (no ASP.NET in the agent). A port that cannot be bound is logged and the agent goes on without /metrics:
/// the data plane matters more than its dashboard.
/// </summary>
public sealed class MetricsServer(AgentMetrics metrics, MetricsEndpoint endpoint, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var host = endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        using var server = new MetricServer(host, endpoint.Port, MetricsEndpoint.Path.TrimStart('/') + "/", metrics.Registry);
        try
        {
            server.Start();
        }
        catch (HttpListenerException e)
        {
            logger.LogError("metrics: cannot listen on {Endpoint}: {Message}; the agent runs on without /metrics", endpoint, e.Message);
            return;
        }
        if (endpoint.IsLoopback)
            logger.LogInformation("metrics: serving Prometheus text format at {Url}", endpoint.Url);
        else
            logger.LogWarning("metrics: serving at {Url} on a non-loopback address, as metrics.listen writes it out in full: anyone who can reach it can read the metrics (no authentication)", endpoint.Url);
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        await server.StopAsync().ConfigureAwait(false);
    }
}
