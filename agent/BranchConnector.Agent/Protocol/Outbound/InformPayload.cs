using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>`inform`: facts about the box. Every key is always written; unknown values are null.</summary>
public sealed record InformPayload(
    string Serial,
    DateTimeOffset SentAt,
    string AgentVersion,
    string Hostname,
    string Os,
    string Kernel,
    IReadOnlyList<string> PrivateIps,
    string? PublicIp,
    StunReport? Stun,
    TimeReport? Time,
    string WireguardImplementation,
    string FirewallBackend,
    IReadOnlyList<string> LanSubnets,
    long UptimeS,
    DateTimeOffset StartedAt,
    LastConfigReport? LastConfig,
    long DriftRepairs,
    IReadOnlyList<RekeyLink> RekeyLinks)
{
    [JsonPropertyOrder(-2)] public int V => 1;

    /// <summary>The pair's HaState; null without the `ha` topic.</summary>
    public Ha.HaStatePayload? Ha { get; init; }
}

/// <summary>nat_mapping: none | endpoint-independent | endpoint-dependent | unknown.</summary>
public sealed record StunReport(string? Server, string? MappedAddress, string NatMapping, bool UdpBlocked, DateTimeOffset? CheckedAt);

public sealed record TimeReport(long? OffsetMs, long? RttMs, bool? NtpSynchronized, DateTimeOffset? CheckedAt);

public sealed record LastConfigReport(long? Sequence, string? ConfigHash, DateTimeOffset? AppliedAt, bool Success);
