using System.Security.Cryptography;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>The 96-bit transaction id of one STUN transaction; random so off-path hosts cannot forge answers.</summary>
public sealed class StunTransactionId : IEquatable<StunTransactionId>
{
    public const int Length = 12;

    private readonly byte[] _bytes;

    private StunTransactionId(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Span => _bytes;

    public static StunTransactionId NewRandom() => new(RandomNumberGenerator.GetBytes(Length));

    public static StunTransactionId FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length ? new(bytes.ToArray()) : throw new ArgumentException($"a transaction id has {Length} bytes", nameof(bytes));

    public bool Matches(ReadOnlySpan<byte> bytes) => bytes.SequenceEqual(_bytes);

    public bool Equals(StunTransactionId? other) => other is not null && Matches(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as StunTransactionId);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Convert.ToHexString(_bytes).ToLowerInvariant();
}
