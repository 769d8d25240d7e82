using System.Buffers.Binary;
using System.Net;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// MAPPED-ADDRESS and XOR-MAPPED-ADDRESS values (RFC 8489 14.1, 14.2): reserved byte, family, port, address.
/// The XOR form hides the address from middleboxes that rewrite addresses they find in payloads.
/// </summary>
internal static class StunAddressAttribute
{
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    /// <summary>Null for a value of the wrong size, an unknown family or port 0.</summary>
    public static IPEndPoint? Decode(ReadOnlySpan<byte> value, bool xor, ReadOnlySpan<byte> transactionId)
    {
        if (value.Length < 4) return null;
        var addressLength = value[1] switch { FamilyIPv4 => 4, FamilyIPv6 => 16, _ => -1 };
        if (addressLength < 0 || value.Length != 4 + addressLength) return null;

        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        if (xor)
        {
            port ^= (int)(StunMessage.MagicCookie >> 16);
            Span<byte> mask = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
            transactionId.CopyTo(mask[4..]);
            for (var i = 0; i < addressLength; i++) address[i] ^= mask[i];
        }
        return port == 0 ? null : new IPEndPoint(new IPAddress(address), port);
    }

    /// <summary>The value bytes for <paramref name="endpoint"/> (used to build responses in tests and by the doctor's self-check).</summary>
    public static byte[] Encode(IPEndPoint endpoint, bool xor, ReadOnlySpan<byte> transactionId)
    {
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        var addressBytes = address.GetAddressBytes();
        var value = new byte[4 + addressBytes.Length];
        value[1] = addressBytes.Length == 4 ? FamilyIPv4 : FamilyIPv6;
        var port = endpoint.Port;
        if (xor)
        {
            port ^= (int)(StunMessage.MagicCookie >> 16);
            Span<byte> mask = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
            transactionId.CopyTo(mask[4..]);
            for (var i = 0; i < addressBytes.Length; i++) addressBytes[i] ^= mask[i];
        }
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2), (ushort)port);
        addressBytes.CopyTo(value, 4);
        return value;
    }
}
