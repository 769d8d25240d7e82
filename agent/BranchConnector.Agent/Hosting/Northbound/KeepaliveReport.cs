using BranchConnector.Agent.Protocol;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>Keepalive (QoS 0) every `monitoring.keepalive_interval_s`.</summary>
public sealed class KeepaliveReport(Publisher publisher, Reports reports, AgentTopics topics, AgentState state, TimeProvider clock)
{
    public Task RunAsync(CancellationToken ct) =>
        Periodic.RunAsync(clock, () => TimeSpan.FromSeconds(state.Monitoring.KeepaliveIntervalS),
            c => publisher.PublishAsync(topics.Keepalive, ProtocolJson.Serialize(reports.Keepalive()), 0, false, c), ct);
}
