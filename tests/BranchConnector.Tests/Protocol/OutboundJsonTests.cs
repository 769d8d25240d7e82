using System.Text;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Tests.Protocol;

public class OutboundJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);

    private static string Json(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Confirm_failure_has_exactly_the_spec_fields()
    {
        var confirm = new ConfirmPayload("BC-0001", ConfirmPayload.BatchKind, 42, "ab", false, At, null, 35, ConfirmChanges.None,
            [new ConfirmResult(2, "static", false, 0)],
            new ConfirmError(ErrorCodes.ApplyFailed, 2, "static", "route add failed", "ip route add 10.20.0.0/16", 2, "RTNETLINK answers: File exists"),
            true, []);
        Assert.Equal(
            """{"v":1,"serial":"BC-0001","kind":"batch","sequence":42,"config_hash":"ab","success":false,"received_at":"2026-11-22T10:00:00.123Z","applied_at":null,"duration_ms":35,"changes":{"added":0,"removed":0,"changed":0,"unchanged":0},"results":[{"index":2,"topic":"static","success":false,"changes":0}],"error":{"code":"apply_failed","index":2,"topic":"static","message":"route add failed","command":"ip route add 10.20.0.0/16","exit_code":2,"stderr":"RTNETLINK answers: File exists"},"rolled_back":true,"warnings":[],"vpp_mode":"none"}""",
            Json(ProtocolJson.Serialize(confirm)));
    }

    [Fact]
    public void Confirm_of_a_malformed_message_has_null_sequence_and_path_in_message()
    {
        var error = BatchDecoder.Decode(Docs.One("static", """{ "routes": [ { "destination": "10.0.0.1/8", "interface": "wg0" } ] }""")).FirstError!;
        var confirm = new ConfirmPayload("BC-0001", ConfirmPayload.PeeringKind, null, null, false, At.ToOffset(TimeSpan.FromHours(2)), null, 1,
            ConfirmChanges.None, [], ConfirmError.From(error), false, ["w"]);
        var json = Json(ProtocolJson.Serialize(confirm));
        Assert.Contains("\"kind\":\"e2e-peering\",\"sequence\":null,\"config_hash\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"received_at\":\"2026-11-22T10:00:00.123Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"error\":{\"code\":\"invalid_field\",\"index\":0,\"topic\":\"static\",\"message\":\"commands[0].body.routes[0].destination: ", json, StringComparison.Ordinal);
        Assert.Contains("\"command\":null,\"exit_code\":null,\"stderr\":null}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_state_will_request_keepalive_time()
    {
        Assert.Equal("""{"v":1,"serial":"BC-1","hostname":"box","agent_version":"0.1.0","public_keys":{"wg0":"K0","wg2":"K2"},"lan_subnets":["192.168.10.0/24"],"sent_at":"2026-11-22T10:00:00.123Z"}""",
            Json(ProtocolJson.Serialize(new RegisterPayload("BC-1", "box", "0.1.0", new Dictionary<string, string> { ["wg0"] = "K0", ["wg2"] = "K2" }, ["192.168.10.0/24"], At))));
        Assert.Equal("""{"v":1,"serial":"BC-1","state":"active","online":true,"since":"2026-11-22T10:00:00.123Z","sent_at":"2026-11-22T10:00:00.123Z"}""",
            Json(ProtocolJson.Serialize(new StatePayload("BC-1", "active", true, At, At))));
        Assert.Equal("""{"v":1,"serial":"BC-1","online":false}""", Json(ProtocolJson.Serialize(new LastWillPayload("BC-1"))));
        Assert.Equal("""{"v":1,"serial":"BC-1","have_sequence":41,"have_config_hash":"h","have_peering_sequence":null,"rekey_links":[],"sequence_record":"kept"}""",
            Json(ProtocolJson.Serialize(new ConfigRequestPayload("BC-1", 41, "h", null, [], ConfigRequestPayload.Kept))));
        Assert.Equal("""{"v":1,"serial":"BC-1","have_sequence":null,"have_config_hash":null,"have_peering_sequence":7,"rekey_links":[{"link":"l-1","spi":"0x0000c001","reason":"no_sequence_record"}],"sequence_record":"new"}""",
            Json(ProtocolJson.Serialize(new ConfigRequestPayload("BC-1", null, null, 7, [new RekeyLink("l-1", "0x0000c001", "no_sequence_record")], ConfigRequestPayload.New))));
        Assert.Equal("""{"v":1,"serial":"BC-1","state":"active","sent_at":"2026-11-22T10:00:00.123Z","uptime_s":5,"config_sequence":42}""",
            Json(ProtocolJson.Serialize(new KeepalivePayload("BC-1", "active", At, 5, 42))));
        Assert.Equal("""{"v":1,"t0":1700000000000}""", Json(ProtocolJson.Serialize(new TimeRequestPayload(1700000000000))));
    }

    [Fact]
    public void Tunnel_status_backbone_and_peering()
    {
        var status = new TunnelStatusPayload("BC-1", At, [
            new TunnelStatusEntry("wg0", TunnelStatusPayload.Backbone, "active", true, 51820, "PK", "hub.example.net:51820", "203.0.113.10:51820", 1420, At, 12, 1234, 5678, null),
            new TunnelStatusEntry("wg2", TunnelStatusPayload.Peering, "active", true, 51821, "PK2", null, null, 1420, null, null, null, null,
                [new PeerStatusEntry("E-100", "direct", "active", "198.51.100.7:51821", 40, 1, 2)])]);
        Assert.Equal(
            """{"v":1,"serial":"BC-1","sent_at":"2026-11-22T10:00:00.123Z","tunnels":[{"interface":"wg0","kind":"backbone","status":"active","enabled":true,"listen_port":51820,"public_key":"PK","server_address":"hub.example.net:51820","endpoint_host":"203.0.113.10:51820","mtu":1420,"latest_handshake_at":"2026-11-22T10:00:00.123Z","handshake_age_s":12,"rx_bytes":1234,"tx_bytes":5678},{"interface":"wg2","kind":"peering","status":"active","enabled":true,"listen_port":51821,"public_key":"PK2","mtu":1420,"peers":[{"serial":"E-100","path":"direct","status":"active","endpoint_host":"198.51.100.7:51821","handshake_age_s":40,"rx_bytes":1,"tx_bytes":2}]}],"ha":null}""",
            Json(ProtocolJson.Serialize(status)));
    }

    [Fact]
    public void Inform_has_every_field()
    {
        var inform = new InformPayload("BC-1", At, "0.1.0", "box", "Debian GNU/Linux 13", "6.12.0", ["192.168.10.1"], "203.0.113.10",
            new StunReport("stun.example.net:3478", "203.0.113.10:40000", "endpoint-independent", false, At),
            new TimeReport(12, 30, true, At), "userspace", "iptables-nft", ["192.168.10.0/24"], 100, At,
            new LastConfigReport(42, "h", At, true), 3, [new RekeyLink("l-2", "0x0000d001", "sequence_exhausted")]);
        Assert.Equal(
            """{"v":1,"serial":"BC-1","sent_at":"2026-11-22T10:00:00.123Z","agent_version":"0.1.0","hostname":"box","os":"Debian GNU/Linux 13","kernel":"6.12.0","private_ips":["192.168.10.1"],"public_ip":"203.0.113.10","stun":{"server":"stun.example.net:3478","mapped_address":"203.0.113.10:40000","nat_mapping":"endpoint-independent","udp_blocked":false,"checked_at":"2026-11-22T10:00:00.123Z"},"time":{"offset_ms":12,"rtt_ms":30,"ntp_synchronized":true,"checked_at":"2026-11-22T10:00:00.123Z"},"wireguard_implementation":"userspace","firewall_backend":"iptables-nft","lan_subnets":["192.168.10.0/24"],"uptime_s":100,"started_at":"2026-11-22T10:00:00.123Z","last_config":{"sequence":42,"config_hash":"h","applied_at":"2026-11-22T10:00:00.123Z","success":true},"drift_repairs":3,"rekey_links":[{"link":"l-2","spi":"0x0000d001","reason":"sequence_exhausted"}],"ha":null}""",
            Json(ProtocolJson.Serialize(inform)));
    }
}
