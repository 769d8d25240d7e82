using System.Net;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health.Stun;

namespace BranchConnector.Tests.Health;

public class NatClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly Endpoint A = new("203.0.113.10", 3478);
    private static readonly Endpoint B = new("stun.example.net", 3478);
    private static readonly IPEndPoint Local = Ep("192.168.10.5:40000");

    private static IPEndPoint Ep(string text) => IPEndPoint.Parse(text);

    private static StunServerAnswer Answer(Endpoint server, string? mapped, bool sent = true) =>
        new(server, sent ? Ep("203.0.113.10:3478") : null, mapped is null ? null : Ep(mapped), mapped is null ? null : TimeSpan.FromMilliseconds(3));

    private static StunResult Classify(IPEndPoint? local, params StunServerAnswer[] answers) =>
        NatClassifier.Classify(new StunQueryResult(local, answers), Now);

    [Fact]
    public void Mapping_equal_to_the_local_address_is_none()
    {
        var local = Ep("198.51.100.5:40000");
        var result = Classify(local, Answer(A, "198.51.100.5:40000"), Answer(B, "198.51.100.5:40000"));
        Assert.Equal(new StunResult("203.0.113.10:3478", "198.51.100.5:40000", "none", false, Now), result);
    }

    [Fact]
    public void Single_answer_equal_to_the_local_address_is_none()
    {
        var local = Ep("198.51.100.5:40000");
        Assert.Equal("none", Classify(local, Answer(A, "198.51.100.5:40000"), Answer(B, null)).NatMapping);
    }

    [Fact]
    public void Same_public_mapping_for_two_servers_is_endpoint_independent()
    {
        var result = Classify(Local, Answer(A, "198.51.100.2:40000"), Answer(B, "198.51.100.2:40000"));
        Assert.Equal("endpoint-independent", result.NatMapping);
        Assert.Equal("198.51.100.2:40000", result.MappedAddress);
        Assert.False(result.UdpBlocked);
    }

    [Fact]
    public void Different_ports_are_endpoint_dependent()
    {
        var result = Classify(Local, Answer(A, "198.51.100.2:40000"), Answer(B, "198.51.100.2:51515"));
        Assert.Equal("endpoint-dependent", result.NatMapping);
        Assert.Equal("203.0.113.10:3478", result.Server);
    }

    [Fact]
    public void Same_port_on_different_public_addresses_is_endpoint_dependent()
    {
        Assert.Equal("endpoint-dependent", Classify(Local, Answer(A, "198.51.100.2:40000"), Answer(B, "198.51.100.3:40000")).NatMapping);
    }

    [Fact]
    public void No_answer_at_all_is_udp_blocked_and_unknown()
    {
        var result = Classify(Local, Answer(A, null), Answer(B, null));
        Assert.Equal(new StunResult("203.0.113.10:3478", null, "unknown", true, Now), result);
    }

    [Fact]
    public void Only_one_server_answering_with_a_translated_address_is_unknown_but_not_blocked()
    {
        var result = Classify(Local, Answer(A, null), Answer(B, "198.51.100.2:40000"));
        Assert.Equal("unknown", result.NatMapping);
        Assert.False(result.UdpBlocked);
        Assert.Equal("stun.example.net:3478", result.Server);
        Assert.Equal("198.51.100.2:40000", result.MappedAddress);
    }

    [Fact]
    public void Nothing_sent_because_no_server_resolved_is_not_udp_blocked()
    {
        var result = Classify(null, Answer(B, null, sent: false));
        Assert.False(result.UdpBlocked);
        Assert.Equal("unknown", result.NatMapping);
    }

    [Fact]
    public void No_servers_configured_is_unknown()
    {
        Assert.Equal(new StunResult(null, null, "unknown", false, Now), Classify(null));
    }

    [Fact]
    public void Unknown_local_address_never_claims_none()
    {
        Assert.Equal("endpoint-independent", Classify(null, Answer(A, "198.51.100.5:40000"), Answer(B, "198.51.100.5:40000")).NatMapping);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_addresses_compare_as_ipv4_and_ipv6_is_bracketed()
    {
        Assert.Equal("none", Classify(Ep("198.51.100.5:40000"), Answer(A, "[::ffff:198.51.100.5]:40000")).NatMapping);
        Assert.Equal("[2001:db8::5]:40000", Classify(Local, Answer(A, "[2001:db8::5]:40000")).MappedAddress);
    }
}
