using BranchConnector.Agent.Protocol;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>Register (retained: keys and LAN subnets), re-sent when an apply or a key rotation changed it.</summary>
public sealed class RegisterReport(Publisher publisher, Reports reports, AgentTopics topics)
{
    public Task PublishAsync(CancellationToken ct) =>
        publisher.PublishAsync(topics.Register, ProtocolJson.Serialize(reports.Register()), 1, true, ct);
}
