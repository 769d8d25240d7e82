using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Protocol;

/// <summary>A batch that passed every check.</summary>
public sealed record DecodedBatch(long Sequence, string ConfigHash, DateTimeOffset? IssuedAt, DesiredConfig Config) : IDecodedDocument;

/// <summary>Decoding a batch: <see cref="Batch"/> or every error (<see cref="DecodeResult{TDoc}"/>).</summary>
public sealed record BatchDecodeResult(DecodedBatch? Batch, EquatableList<ValidationError> Errors, long? Sequence, string? ConfigHash)
    : DecodeResult<DecodedBatch>(Errors, Sequence, ConfigHash)
{
    public override DecodedBatch? Document => Batch;
}
