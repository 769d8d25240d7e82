using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Lifecycle;

namespace BranchConnector.Agent.Metrics;

/// <summary>Reads the running daemon's picture for a scrape: only fields it holds in memory, no command runs.</summary>
public static class MetricsFeed
{
    public static MetricsInputs From(AgentRuntime runtime)
    {
        var services = runtime.Services;
        var state = services.State;
        var broker = runtime.BrokerStatus;
        return new MetricsInputs(
            services.Settings.Serial,
            runtime.Reports.EffectiveLifecycle().ToWire(),
            runtime.Reports.LastReading,
            broker.Connected,
            broker.ConnectCount,
            state.Persisted.DriftRepairs,
            state.Time?.OffsetMs,
            state.Stun?.NatMapping,
            state.Stun?.UdpBlocked,
            services.WireGuard.Name,
            services.FirewallBackendName,
            state.StartedAt) { Ha = services.Ha.Current };
    }
}
