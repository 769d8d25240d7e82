namespace BranchConnector.Agent.Protocol;

/// <summary>The Confirm `error.code` values of the wire contract.</summary>
public static class ErrorCodes
{
    public const string Malformed = "malformed";
    public const string TooLarge = "too_large";
    public const string HashMismatch = "hash_mismatch";
    public const string StaleSequence = "stale_sequence";
    public const string InvalidField = "invalid_field";
    public const string UnsupportedTopic = "unsupported_topic";
    public const string NotAllowed = "not_allowed";
    public const string ApplyFailed = "apply_failed";
    public const string Decommissioned = "decommissioned";
}
