using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// `{N}/{serial}/ha/state` (retained), and the `ha` object of TunnelStatus, Inform and status:
/// `{ "v":1, "serial", "group", "vrid", "state": "master|backup|fault|draining|stopped", "priority", "since", "reason" }`.
/// </summary>
public sealed record HaStatePayload(string Serial, string Group, int Vrid, string State, int Priority, DateTimeOffset Since, string? Reason)
{
    [JsonPropertyOrder(-2)] public int V => 1;

    public const string Master = "master";
    public const string Backup = "backup";
    public const string Fault = "fault";
    public const string Draining = "draining";
    public const string Stopped = "stopped";

    /// <summary>Equal apart from the time stamp: the same state again is not a transition.</summary>
    public bool SameAs(HaStatePayload? other) =>
        other is not null && other.Group == Group && other.Vrid == Vrid && other.State == State && other.Priority == Priority && other.Reason == Reason;
}
