using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// What every inbound document (batch or e2e-peering) passes before anything on the box changes: the box is
/// not decommissioned, the whole document is valid, and the sequence rule lets it through.
/// </summary>
public static class DocumentAdmission
{
    /// <summary>The Confirm to send instead of applying, or null when the document may be applied.</summary>
    public static ConfirmPayload? Refusal(
        string kind, bool decommissioned, IReadOnlyList<ValidationError> errors, long? sequence, string? hash,
        AppliedDocument? lastApplied, DateTimeOffset receivedAt, ConfirmBuilder confirms, ILogger logger)
    {
        if (decommissioned)
            return confirms.Rejected(kind, sequence, hash, receivedAt, [new ValidationError(ErrorCodes.Decommissioned, "", "this connector is decommissioned")]);
        if (errors.Count > 0)
        {
            logger.LogWarning("{Kind} {Sequence} rejected: {Errors}", kind, sequence, string.Join("; ", errors));
            return confirms.Rejected(kind, sequence, hash, receivedAt, errors);
        }
        var applied = lastApplied is { Success: true } ? lastApplied : null;
        switch (SequenceGate.Check(applied?.Sequence, applied?.ConfigHash, sequence!.Value, hash!))
        {
            case GateDecision.Repeat:
                logger.LogInformation("{Kind} {Sequence} already applied: confirming again", kind, sequence);
                return confirms.Repeated(kind, sequence.Value, hash!, receivedAt, applied!.AppliedAt);
            case GateDecision.Stale:
                return confirms.Rejected(kind, sequence, hash, receivedAt, [SequenceGate.StaleError(applied!.Sequence, sequence.Value)]);
            default:
                return null;
        }
    }
}
