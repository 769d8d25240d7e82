using System.Text.Json.Serialization;

namespace BranchConnector.Agent.Protocol.Outbound;

/// <summary>`config/confirm` and `e2e-peering/confirm`. Every key is always written; absent values are null.</summary>
public sealed record ConfirmPayload(
    string Serial,
    string Kind,
    long? Sequence,
    string? ConfigHash,
    bool Success,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? AppliedAt,
    long DurationMs,
    ConfirmChanges Changes,
    IReadOnlyList<ConfirmResult> Results,
    ConfirmError? Error,
    bool RolledBack,
    IReadOnlyList<string> Warnings)
{
    public const string BatchKind = "batch";
    public const string PeeringKind = "e2e-peering";

    [JsonPropertyOrder(-2)] public int V => 1;
    [JsonPropertyOrder(1)] public string VppMode => "none";
}

public sealed record ConfirmChanges(int Added, int Removed, int Changed, int Unchanged)
{
    public static readonly ConfirmChanges None = new(0, 0, 0, 0);
}

/// <summary>One command's outcome (batch: per topic; peering: per group).</summary>
public sealed record ConfirmResult(int Index, string Topic, bool Success, int Changes);

public sealed record ConfirmError(string Code, int? Index, string? Topic, string Message, string? Command, int? ExitCode, string? Stderr)
{
    /// <summary>A validation problem as the Confirm's error; the message names the JSON path.</summary>
    public static ConfirmError From(ValidationError error) =>
        new(error.Code, error.Index, error.Topic, error.Path.Length == 0 ? error.Message : $"{error.Path}: {error.Message}", null, null, null);
}
