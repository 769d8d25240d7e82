using System.Text.Json.Serialization;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Status;

/// <summary>The object `branch-connector status --json` prints (spec/agent.md), served by the daemon and persisted as a snapshot.</summary>
public sealed record StatusSnapshot(
    string Serial,
    string AgentVersion,
    string State,
    string Source,
    BrokerStatusReport Broker,
    DocumentStatusReport? Config,
    DocumentStatusReport? Peering,
    IReadOnlyList<TunnelStatusEntry> Tunnels,
    int Routes,
    int FirewallRules,
    int XfrmStates,
    StunReport? Stun,
    TimeReport? Time,
    string WireguardImplementation,
    string FirewallBackend,
    long UptimeS,
    long DriftRepairs,
    IReadOnlyList<string> Warnings)
{
    public const string FromDaemon = "daemon";
    public const string FromSnapshot = "snapshot";
}

public sealed record BrokerStatusReport(bool Connected, string? Url, DateTimeOffset? Since, string? LastError);

public sealed record DocumentStatusReport(
    long Sequence,
    string ConfigHash,
    DateTimeOffset? AppliedAt,
    bool Success,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error);
