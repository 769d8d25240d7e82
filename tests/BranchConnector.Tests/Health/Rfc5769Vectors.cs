namespace BranchConnector.Tests.Health;

/// <summary>
/// The sample responses of RFC 5769 ("Test Vectors for STUN", sections 2.2 and 2.3), byte for byte.
/// Both carry SOFTWARE "test vector" (padded with 0x20), XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT.
/// </summary>
internal static class Rfc5769Vectors
{
    public static readonly byte[] TransactionId = Hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    /// <summary>2.2: mapped address 192.0.2.1 port 32853.</summary>
    public static readonly byte[] Ipv4Response = Hex("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """);

    /// <summary>2.3: mapped address 2001:db8:1234:5678:11:2233:4455:6677 port 32853.</summary>
    public static readonly byte[] Ipv6Response = Hex("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """);

    public static byte[] Hex(string text) =>
        Convert.FromHexString(string.Concat(text.Where(char.IsAsciiHexDigit)));
}
