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
    /// <summary>spec/agent.md: the HaState object of the protocol, null without the `ha` topic.</summary>
    public Ha.HaStatePayload? Ha { get; init; }

    public const string FromDaemon = "daemon";
    public const string FromSnapshot = "snapshot";

    /// <summary>
    /// The batch the kernel carries, set only when <see cref="Config"/> (the newest received) is another one:
    /// after a refused or failed batch the operator still sees which sequence runs.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunningDocumentReport? RunningConfig { get; init; }

    /// <summary>Likewise for the peering document.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunningDocumentReport? RunningPeering { get; init; }

    /// <summary>The running document when it is not the newest one; null when they are the same (or nothing runs).</summary>
    public static RunningDocumentReport? RunningUnlessNewest(DocumentStatusReport? newest, DocumentStatusReport? applied) =>
        applied is null || newest is null || (newest.Sequence == applied.Sequence && newest.ConfigHash == applied.ConfigHash && newest.Success)
            ? null
            : new RunningDocumentReport(applied.Sequence, applied.ConfigHash, applied.AppliedAt);
}

/// <summary>spec/agent.md `running_config` / `running_peering`: the document the box runs.</summary>
public sealed record RunningDocumentReport(long Sequence, string ConfigHash, DateTimeOffset? AppliedAt);

public sealed record BrokerStatusReport(bool Connected, string? Url, DateTimeOffset? Since, string? LastError);

public sealed record DocumentStatusReport(
    long Sequence,
    string ConfigHash,
    DateTimeOffset? AppliedAt,
    bool Success,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error);
