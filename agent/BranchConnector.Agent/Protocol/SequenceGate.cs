namespace BranchConnector.Agent.Protocol;

public enum GateDecision
{
    /// <summary>New: validate further and apply.</summary>
    Apply,
    /// <summary>The last applied document again (e.g. retained, or resent on config/request): confirm again, zero changes.</summary>
    Repeat,
    /// <summary>Older, or the same sequence with another hash: `stale_sequence`, nothing changes.</summary>
    Stale,
}

/// <summary>The sequence rule shared by batches and peering documents.</summary>
public static class SequenceGate
{
    public static GateDecision Check(long? lastSequence, string? lastHash, long sequence, string hash)
    {
        if (lastSequence is null || sequence > lastSequence) return GateDecision.Apply;
        if (sequence == lastSequence && string.Equals(lastHash, hash, StringComparison.Ordinal)) return GateDecision.Repeat;
        return GateDecision.Stale;
    }

    public static ValidationError StaleError(long lastSequence, long sequence) => new(
        ErrorCodes.StaleSequence, "sequence",
        sequence == lastSequence
            ? $"sequence {sequence} was already applied with another config_hash"
            : $"sequence {sequence} is not newer than the last applied {lastSequence}");
}
