using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Protocol;

/// <summary>A peering document that passed every check.</summary>
public sealed record DecodedPeering(long Sequence, string ConfigHash, DateTimeOffset? IssuedAt, DesiredPeering Peering);

/// <summary>The outcome of decoding an e2e-peering message; like <see cref="BatchDecodeResult"/>.</summary>
public sealed record PeeringDecodeResult(DecodedPeering? Peering, EquatableList<ValidationError> Errors, long? Sequence, string? ConfigHash)
{
    public bool IsValid => Peering is not null;
    public ValidationError? FirstError => Errors.Count == 0 ? null : Errors[0];
}
