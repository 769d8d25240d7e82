using System.Buffers.Binary;
using System.Net;
using System.Text;
using BranchConnector.Agent.Health.Stun;

namespace BranchConnector.Tests.Health;

public class StunMessageTests
{
    private static readonly StunTransactionId VectorId = StunTransactionId.FromBytes(Rfc5769Vectors.TransactionId);

    [Fact]
    public void Rfc5769_ipv4_sample_response_decodes_to_its_mapped_address()
    {
        var response = StunMessage.DecodeBindingResponse(Rfc5769Vectors.Ipv4Response, VectorId);

        Assert.NotNull(response);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), response.MappedAddress);
        Assert.True(response.FromXorMappedAddress);
        Assert.Equal("test vector", response.Software);
    }

    [Fact]
    public void Rfc5769_ipv6_sample_response_decodes_to_its_mapped_address()
    {
        var response = StunMessage.DecodeBindingResponse(Rfc5769Vectors.Ipv6Response, VectorId);

        Assert.NotNull(response);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), response.MappedAddress);
        Assert.Equal("test vector", response.Software);
    }

    [Theory]
    [InlineData("192.0.2.1", 32853)]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    public void Xor_address_encoding_reproduces_the_rfc5769_attribute_values(string address, int port)
    {
        var value = StunAddressAttribute.Encode(new IPEndPoint(IPAddress.Parse(address), port), xor: true, Rfc5769Vectors.TransactionId);
        var vector = address.Contains(':') ? Rfc5769Vectors.Ipv6Response : Rfc5769Vectors.Ipv4Response;
        // XOR-MAPPED-ADDRESS follows the 16-byte SOFTWARE attribute: header 20 + 16 + its own 4-byte TL.
        Assert.Equal(vector.AsSpan(40, value.Length).ToArray(), value);
    }

    [Fact]
    public void Vector_with_a_corrupted_byte_fails_its_fingerprint_and_is_ignored()
    {
        var corrupted = (byte[])Rfc5769Vectors.Ipv4Response.Clone();
        corrupted[60] ^= 0x01; // inside MESSAGE-INTEGRITY, which we do not check: only FINGERPRINT catches it
        Assert.Null(StunMessage.DecodeBindingResponse(corrupted, VectorId));
    }

    [Fact]
    public void Vector_answer_to_another_transaction_is_ignored()
    {
        Assert.Null(StunMessage.DecodeBindingResponse(Rfc5769Vectors.Ipv4Response, StunTransactionId.NewRandom()));
    }

    [Fact]
    public void Binding_request_has_the_rfc8489_header_and_a_padded_software_attribute()
    {
        var id = StunTransactionId.NewRandom();
        var request = StunMessage.EncodeBindingRequest(id, "branch-connector 0.1.0");

        Assert.Equal(0x0001, BinaryPrimitives.ReadUInt16BigEndian(request));
        Assert.Equal(request.Length - 20, BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(2)));
        Assert.Equal(0x2112A442u, BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(4)));
        Assert.True(id.Matches(request.AsSpan(8, 12)));
        Assert.Equal(0x8022, BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(20)));
        Assert.Equal(22, BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(22)));
        Assert.Equal("branch-connector 0.1.0", Encoding.UTF8.GetString(request.AsSpan(24, 22)));
        Assert.Equal(20 + 4 + 24, request.Length);
        Assert.Equal(0, request.Length % 4);
    }

    [Fact]
    public void Binding_request_without_software_is_a_bare_header()
    {
        var request = StunMessage.EncodeBindingRequest(StunTransactionId.NewRandom());
        Assert.Equal(20, request.Length);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(2)));
    }

    [Fact]
    public void Transaction_ids_are_random()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => StunTransactionId.NewRandom().ToString()).ToHashSet();
        Assert.Equal(100, ids.Count);
    }

    [Theory]
    [InlineData("198.51.100.7", 40000, true)]
    [InlineData("2001:db8::7", 1, true)]
    [InlineData("203.0.113.9", 65535, false)]
    [InlineData("2001:db8::9", 3478, false)]
    public void Encoded_response_round_trips(string address, int port, bool withFingerprint)
    {
        var id = StunTransactionId.NewRandom();
        var mapped = new IPEndPoint(IPAddress.Parse(address), port);
        var packet = Response(id, [(StunMessage.XorMappedAddressAttribute, StunAddressAttribute.Encode(mapped, true, id.Span))], withFingerprint);

        Assert.Equal(mapped, StunMessage.DecodeBindingResponse(packet, id)?.MappedAddress);
    }

    [Fact]
    public void Mapped_address_is_the_fallback_when_xor_mapped_address_is_absent()
    {
        var id = StunTransactionId.NewRandom();
        var mapped = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 4242);
        var packet = Response(id, [(StunMessage.MappedAddressAttribute, StunAddressAttribute.Encode(mapped, false, id.Span))]);

        var response = StunMessage.DecodeBindingResponse(packet, id);
        Assert.Equal(mapped, response?.MappedAddress);
        Assert.False(response?.FromXorMappedAddress);
    }

    [Fact]
    public void Xor_mapped_address_wins_over_mapped_address_and_unknown_attributes_are_skipped()
    {
        var id = StunTransactionId.NewRandom();
        var xorMapped = new IPEndPoint(IPAddress.Parse("203.0.113.5"), 5000);
        var legacy = new IPEndPoint(IPAddress.Parse("10.1.1.1"), 6000);
        var packet = Response(id,
        [
            (StunMessage.MappedAddressAttribute, StunAddressAttribute.Encode(legacy, false, id.Span)),
            ((ushort)0x802b, StunAddressAttribute.Encode(legacy, false, id.Span)), // RESPONSE-ORIGIN, as coturn sends
            ((ushort)0x7fff, [1, 2, 3]), // unknown, 3 bytes: exercises padding
            (StunMessage.XorMappedAddressAttribute, StunAddressAttribute.Encode(xorMapped, true, id.Span)),
        ]);

        Assert.Equal(xorMapped, StunMessage.DecodeBindingResponse(packet, id)?.MappedAddress);
    }

    [Fact]
    public void Success_without_any_address_is_useless_and_ignored()
    {
        var id = StunTransactionId.NewRandom();
        Assert.Null(StunMessage.DecodeBindingResponse(Response(id, [(StunMessage.SoftwareAttribute, "x"u8.ToArray())]), id));
    }

    [Fact]
    public void Other_message_types_are_ignored()
    {
        var id = StunTransactionId.NewRandom();
        var good = Response(id, [(StunMessage.XorMappedAddressAttribute, StunAddressAttribute.Encode(new IPEndPoint(IPAddress.Loopback, 9), true, id.Span))]);
        foreach (var type in new ushort[] { 0x0001, 0x0111, 0x0011, 0x0102, 0x4101 })
        {
            var packet = (byte[])good.Clone();
            BinaryPrimitives.WriteUInt16BigEndian(packet, type);
            Assert.Null(StunMessage.DecodeBindingResponse(packet, id));
        }
    }

    [Fact]
    public void Wrong_cookie_wrong_length_and_oversized_packets_are_ignored()
    {
        var id = StunTransactionId.NewRandom();
        var good = Response(id, [(StunMessage.XorMappedAddressAttribute, StunAddressAttribute.Encode(new IPEndPoint(IPAddress.Loopback, 9), true, id.Span))]);
        Assert.NotNull(StunMessage.DecodeBindingResponse(good, id));

        var cookie = (byte[])good.Clone();
        cookie[4] ^= 0xff;
        Assert.Null(StunMessage.DecodeBindingResponse(cookie, id));

        var length = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(length.AsSpan(2), (ushort)(good.Length - 20 + 4));
        Assert.Null(StunMessage.DecodeBindingResponse(length, id));

        var trailing = good.Concat(new byte[4]).ToArray();
        Assert.Null(StunMessage.DecodeBindingResponse(trailing, id));

        var huge = Response(id, [((ushort)0x8023, new byte[3000]), (StunMessage.XorMappedAddressAttribute, StunAddressAttribute.Encode(new IPEndPoint(IPAddress.Loopback, 9), true, id.Span))]);
        Assert.Null(StunMessage.DecodeBindingResponse(huge, id));
    }

    [Fact]
    public void Attribute_longer_than_the_message_is_ignored()
    {
        var id = StunTransactionId.NewRandom();
        var packet = Response(id, [(StunMessage.XorMappedAddressAttribute, StunAddressAttribute.Encode(new IPEndPoint(IPAddress.Loopback, 9), true, id.Span))]);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 0xfff0);
        Assert.Null(StunMessage.DecodeBindingResponse(packet, id));
    }

    [Theory]
    [InlineData(new byte[] { 0, 3, 0, 9, 1, 2, 3, 4 })]            // unknown family
    [InlineData(new byte[] { 0, 1, 0, 9, 1, 2, 3 })]               // IPv4 too short
    [InlineData(new byte[] { 0, 2, 0, 9, 1, 2, 3, 4 })]            // IPv6 family with IPv4 length
    [InlineData(new byte[] { 0, 1, 0x21, 0x12, 1, 2, 3, 4 })]      // XOR port decodes to 0
    public void Malformed_address_attribute_makes_the_message_garbled(byte[] value)
    {
        var id = StunTransactionId.NewRandom();
        Assert.Null(StunMessage.DecodeBindingResponse(Response(id, [(StunMessage.XorMappedAddressAttribute, value)]), id));
    }

    [Fact]
    public void Random_truncated_and_mutated_buffers_never_throw_nor_invent_an_address()
    {
        var random = new Random(8489);
        var id = StunTransactionId.FromBytes(Rfc5769Vectors.TransactionId);
        var seeds = new[] { Rfc5769Vectors.Ipv4Response, Rfc5769Vectors.Ipv6Response };
        var genuine = new[] { IPEndPoint.Parse("192.0.2.1:32853"), IPEndPoint.Parse("[2001:db8:1234:5678:11:2233:4455:6677]:32853") };
        var randomAccepted = 0;
        for (var i = 0; i < 20000; i++)
        {
            var seed = seeds[random.Next(seeds.Length)];
            switch (i % 4)
            {
                case 0:
                    var noise = new byte[random.Next(0, 200)];
                    random.NextBytes(noise);
                    Assert.Null(StunMessage.DecodeBindingResponse(noise, id));
                    break;
                case 1:
                    var cut = random.Next(0, seed.Length);
                    Assert.Null(StunMessage.DecodeBindingResponse(seed[..cut], id));
                    break;
                case 2:
                    // One damaged byte: rejected, or (damage in a part we skip, e.g. FINGERPRINT's type) the genuine address.
                    var mutated = (byte[])seed.Clone();
                    mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
                    var decoded = StunMessage.DecodeBindingResponse(mutated, id);
                    if (decoded is not null) Assert.Contains(decoded.MappedAddress, genuine);
                    break;
                default:
                    // A valid header with a random body, so the attribute walker meets every kind of nonsense.
                    var body = new byte[random.Next(0, 50) * 4];
                    random.NextBytes(body);
                    byte[] packet = [.. Rfc5769Vectors.Ipv4Response[..20], .. body];
                    BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)body.Length);
                    if (StunMessage.DecodeBindingResponse(packet, id) is not null) randomAccepted++;
                    break;
            }
        }
        Assert.True(randomAccepted < 5, $"{randomAccepted} random bodies accepted");
    }

    internal static byte[] Response(StunTransactionId id, IEnumerable<(ushort Type, byte[] Value)> attributes, bool fingerprint = false) =>
        StunMessage.Encode(StunMessage.BindingSuccessType, id.Span, attributes, fingerprint);
}
