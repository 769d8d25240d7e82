using BranchConnector.Agent.Health;

namespace BranchConnector.Agent.Metrics;

/// <summary>
/// What a scrape shows, all of it already known to the daemon (the last tunnel reading of the status loop, the
/// broker session, the persisted counters, the last STUN and time results): a scrape runs no command.
/// </summary>
public sealed record MetricsInputs(
    string Serial,
    string LifecycleState,
    TunnelsReading? Tunnels,
    bool MqttConnected,
    long MqttConnects,
    long DriftRepairs,
    long? ClockOffsetMs,
    string? NatMapping,
    bool? UdpBlocked,
    string WireguardImplementation,
    string FirewallBackend,
    DateTimeOffset StartedAt)
{
    /// <summary>The pair's HaState; null without the `ha` topic.</summary>
    public Ha.HaStatePayload? Ha { get; init; }
}
