using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Protocol;

/// <summary>A peering document that passed every check.</summary>
public sealed record DecodedPeering(long Sequence, string ConfigHash, DateTimeOffset? IssuedAt, DesiredPeering Peering) : IDecodedDocument;

/// <summary>Decoding an e2e-peering message: <see cref="Peering"/> or every error (<see cref="DecodeResult{TDoc}"/>).</summary>
public sealed record PeeringDecodeResult(DecodedPeering? Peering, EquatableList<ValidationError> Errors, long? Sequence, string? ConfigHash)
    : DecodeResult<DecodedPeering>(Errors, Sequence, ConfigHash)
{
    public override DecodedPeering? Document => Peering;
}
