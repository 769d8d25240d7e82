using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Protocol.Topics;

namespace BranchConnector.Agent.Protocol;

/// <summary>One batch topic: its name and where its validated body goes in the desired configuration.</summary>
internal sealed record BatchTopic(string Name, Func<DesiredConfig, ObjectReader, DesiredConfig> Apply)
{
    /// <summary>Rules across topics, run once the whole batch is read (the body's reader is still valid then).</summary>
    public Func<DesiredConfig, ObjectReader, DesiredConfig>? Check { get; init; }
}

/// <summary>
/// The batch topics the agent accepts, one line each, in the spec's apply order. A new topic is a reader in
/// `Protocol/Topics/` and a line here (docs/architecture.md, "Adding a batch topic").
/// </summary>
internal static class BatchTopics
{
    public static readonly IReadOnlyList<BatchTopic> All =
    [
        new(InterfaceTopic.Name, (config, body) => config with { Interfaces = InterfaceTopic.Read(body) }),
        new(WireGuardTopic.Name, (config, body) => config with { Backbone = WireGuardTopic.Read(body) }),
        new(StaticTopic.Name, (config, body) => config with { Routes = StaticTopic.Read(body) }),
        new(Nat44Topic.Name, (config, body) => config with { Nat = Nat44Topic.Read(body) }),
        new(AclTopic.Name, (config, body) => config with { Acl = AclTopic.Read(body) }),
        new(MonitoringTopic.Name, (config, body) => config with { Monitoring = MonitoringTopic.Read(body) }),
        new(Ha.HaTopic.Name, (config, body) => config with { Ha = Ha.HaTopic.Read(body) })
        {
            Check = (config, body) => config with { Ha = Ha.HaTopic.Check(config.Ha, config.Interfaces, body) },
        },
    ];

    public static BatchTopic? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
