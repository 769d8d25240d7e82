using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Hosting;

/// <summary>Which batch topic a planned change belongs to, for the per-topic results of a Confirm.</summary>
public static class BatchTopicMap
{
    public static string TopicOf(PlannedCommand command, PlannedChange change) => change.Subsystem switch
    {
        "interface" => "interface",
        "wireguard" => "wireguard",
        "static" => "static",
        "firewall" when change.What.Contains(" nat ", StringComparison.Ordinal) => "nat44",
        "firewall" when change.What.Contains(" mangle ", StringComparison.Ordinal) => "wireguard",
        "firewall" => "acl",
        _ => TopicOf(command) ?? change.Subsystem,
    };

    public static string? TopicOf(PlannedCommand command) => command.Stage switch
    {
        Stage.Interface => "interface",
        Stage.WireGuard => "wireguard",
        Stage.Static => "static",
        Stage.Firewall => "acl",
        _ => null,
    };
}
