using BranchConnector.Agent.Protocol.Topics;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Protocol;

/// <summary>
/// The batch topics the agent accepts, one line each, in the spec's apply order. A new topic is a folder in
/// `Protocol/Topics/` and a line here (docs/adding-a-topic.md).
/// </summary>
internal static class BatchTopics
{
    public static readonly IReadOnlyList<IBatchTopic> All =
    [
        new InterfaceTopic(),
        new WireGuardTopic(),
        new StaticTopic(),
        new Nat44Topic(),
        new AclTopic(),
        new MonitoringTopic(),
        new Ha.HaTopic(),
    ];

    public static IBatchTopic? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>The kernel subsystems the topics bring, observed and planned after the shared ones.</summary>
    public static readonly IReadOnlyList<IKernelSubsystem> Subsystems = [.. All.Select(t => t.Subsystem).OfType<IKernelSubsystem>()];
}
