using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Protocol;

/// <summary>A batch that passed every check.</summary>
public sealed record DecodedBatch(long Sequence, string ConfigHash, DateTimeOffset? IssuedAt, DesiredConfig Config);

/// <summary>
/// The outcome of decoding a batch: either <see cref="Batch"/>, or every error found. <see cref="Sequence"/>
/// and <see cref="ConfigHash"/> are whatever could be read, for the Confirm (null when not readable).
/// </summary>
public sealed record BatchDecodeResult(DecodedBatch? Batch, EquatableList<ValidationError> Errors, long? Sequence, string? ConfigHash)
{
    public bool IsValid => Batch is not null;

    /// <summary>The Confirm's `error`: the first problem in document order.</summary>
    public ValidationError? FirstError => Errors.Count == 0 ? null : Errors[0];
}
