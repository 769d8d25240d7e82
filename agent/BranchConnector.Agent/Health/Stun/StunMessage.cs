using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// The two STUN messages the agent needs (RFC 8489): a Binding request it sends and a Binding success
/// response it reads. Decoding never throws: anything garbled, truncated, oversized, for another
/// transaction or simply not STUN is answered with null, because it arrives from the network.
/// </summary>
public static class StunMessage
{
    public const uint MagicCookie = 0x2112A442;
    public const ushort BindingRequestType = 0x0001;
    public const ushort BindingSuccessType = 0x0101;
    public const int HeaderLength = 20;

    /// <summary>Larger datagrams are not answers to a Binding request (a real one is well under 200 bytes).</summary>
    public const int MaxMessageLength = 2048;

    /// <summary>RFC 8489 14.14: fewer than 128 characters.</summary>
    public const int MaxSoftwareCharacters = 127;

    internal const ushort MappedAddressAttribute = 0x0001;
    internal const ushort XorMappedAddressAttribute = 0x0020;
    internal const ushort SoftwareAttribute = 0x8022;
    internal const ushort FingerprintAttribute = 0x8028;
    private const uint FingerprintXor = 0x5354554E;

    /// <summary>A Binding request with an optional SOFTWARE attribute (the agent's name and version).</summary>
    public static byte[] EncodeBindingRequest(StunTransactionId transactionId, string? software = null)
    {
        ArgumentNullException.ThrowIfNull(transactionId);
        var attributes = new List<(ushort Type, byte[] Value)>();
        if (software is not null)
        {
            if (software.Length > MaxSoftwareCharacters)
                throw new ArgumentException($"SOFTWARE must be at most {MaxSoftwareCharacters} characters", nameof(software));
            attributes.Add((SoftwareAttribute, Encoding.UTF8.GetBytes(software)));
        }
        return Encode(BindingRequestType, transactionId.Span, attributes, fingerprint: false);
    }

    /// <summary>
    /// Builds any message from raw attributes, padding each to 4 bytes, optionally ending with FINGERPRINT.
    /// Used for requests here and for answers by test responders.
    /// </summary>
    internal static byte[] Encode(ushort type, ReadOnlySpan<byte> transactionId, IEnumerable<(ushort Type, byte[] Value)> attributes, bool fingerprint)
    {
        using var body = new MemoryStream();
        Span<byte> tl = stackalloc byte[4];
        foreach (var (attrType, value) in attributes)
        {
            BinaryPrimitives.WriteUInt16BigEndian(tl, attrType);
            BinaryPrimitives.WriteUInt16BigEndian(tl[2..], (ushort)value.Length);
            body.Write(tl);
            body.Write(value);
            for (var pad = Padded(value.Length) - value.Length; pad > 0; pad--) body.WriteByte(0);
        }
        var length = (int)body.Length + (fingerprint ? 8 : 0);
        var message = new byte[HeaderLength + length];
        BinaryPrimitives.WriteUInt16BigEndian(message, type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), MagicCookie);
        transactionId.CopyTo(message.AsSpan(8));
        body.ToArray().CopyTo(message, HeaderLength);
        if (fingerprint)
        {
            var at = message.Length - 8;
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), FingerprintAttribute);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 2), 4);
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(at + 4), Crc32.Compute(message.AsSpan(0, at)) ^ FingerprintXor);
        }
        return message;
    }

    /// <summary>
    /// The mapped address from a Binding success response for <paramref name="expected"/>, or null for anything
    /// else. XOR-MAPPED-ADDRESS wins over MAPPED-ADDRESS (RFC 3489 servers send only the latter). Unknown
    /// attributes are skipped rather than failing the transaction: the agent only measures, it acts on nothing
    /// else in the message, and a harmless server extension must not look like "UDP blocked".
    /// </summary>
    public static StunBindingResponse? DecodeBindingResponse(ReadOnlySpan<byte> packet, StunTransactionId expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (packet.Length < HeaderLength || packet.Length > MaxMessageLength) return null;
        if (BinaryPrimitives.ReadUInt16BigEndian(packet) != BindingSuccessType) return null;
        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (length % 4 != 0 || HeaderLength + length != packet.Length) return null;
        if (BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) != MagicCookie) return null;
        var transactionId = packet.Slice(8, StunTransactionId.Length);
        if (!expected.Matches(transactionId)) return null;

        IPEndPoint? xorMapped = null, mapped = null;
        string? software = null;
        var offset = HeaderLength;
        while (offset < packet.Length)
        {
            if (packet.Length - offset < 4) return null;
            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            var valueStart = offset + 4;
            if (Padded(valueLength) > packet.Length - valueStart) return null;
            var value = packet.Slice(valueStart, valueLength);

            switch (type)
            {
                case XorMappedAddressAttribute when xorMapped is null:
                    xorMapped = StunAddressAttribute.Decode(value, xor: true, transactionId);
                    if (xorMapped is null) return null;
                    break;
                case MappedAddressAttribute when mapped is null:
                    mapped = StunAddressAttribute.Decode(value, xor: false, transactionId);
                    if (mapped is null) return null;
                    break;
                case SoftwareAttribute when software is null:
                    software = DecodeSoftware(value);
                    break;
                case FingerprintAttribute:
                    // FINGERPRINT is last by definition; a wrong one means a corrupted or foreign datagram.
                    if (valueLength != 4 || valueStart + 4 != packet.Length) return null;
                    if (BinaryPrimitives.ReadUInt32BigEndian(value) != (Crc32.Compute(packet[..offset]) ^ FingerprintXor)) return null;
                    break;
            }
            offset = valueStart + Padded(valueLength);
        }

        if (xorMapped is not null) return new StunBindingResponse(xorMapped, true, software);
        return mapped is null ? null : new StunBindingResponse(mapped, false, software);
    }

    private static string? DecodeSoftware(ReadOnlySpan<byte> value)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 in an informational attribute is not a reason to drop the mapping.
            return null;
        }
    }

    private static int Padded(int length) => (length + 3) & ~3;
}
