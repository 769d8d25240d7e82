using System.Text;
using BranchConnector.Agent.Protocol;
using static BranchConnector.Tests.Protocol.Docs;

namespace BranchConnector.Tests.Protocol;

/// <summary>Each document breaks one rule; the first error must carry exactly this code and JSON path.</summary>
public class BadDocumentTests
{
    private static byte[] Text(string json) => Encoding.UTF8.GetBytes(json);
    private static string Iface(string item) => $$"""{ "interfaces": [ {{item}} ] }""";
    private static string Route(string item) => $$"""{ "routes": [ {{item}} ] }""";
    private static string Nat(string item) => $$"""{ "rules": [ {{item}} ] }""";
    private static string Acl(string item) => $$"""{ "rules": [ {{item}} ] }""";
    private const string GoodHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static TheoryData<string, byte[], string, string> Batches => new()
    {
        // envelope
        { "not JSON", Text("{ \"v\": 1, "), ErrorCodes.Malformed, "" },
        { "array, not object", Text("[1, 2]"), ErrorCodes.Malformed, "" },
        { "empty payload", [], ErrorCodes.Malformed, "" },
        { "duplicate keys", Text($$"""{ "v": 1, "v": 1, "sequence": 1, "config_hash": "{{GoodHash}}", "commands": [] }"""), ErrorCodes.Malformed, "" },
        { "2 MiB payload", Text("{\"v\":1,\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}"), ErrorCodes.TooLarge, "" },
        { "v 2", Text($$"""{ "v": 2, "sequence": 1, "config_hash": "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", "commands": [] }"""), ErrorCodes.InvalidField, "v" },
        { "v missing", Text("""{ "sequence": 1, "config_hash": "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", "commands": [] }"""), ErrorCodes.InvalidField, "v" },
        { "negative sequence", Batch("[]", sequence: -1), ErrorCodes.InvalidField, "sequence" },
        { "sequence as string", Text("""{ "v": 1, "sequence": "1", "config_hash": "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", "commands": [] }"""), ErrorCodes.InvalidField, "sequence" },
        { "float sequence", Text("""{ "v": 1, "sequence": 1.5, "config_hash": "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", "commands": [] }"""), ErrorCodes.InvalidField, "sequence" },
        { "wrong hash", Text($$"""{ "v": 1, "sequence": 1, "config_hash": "{{GoodHash}}", "commands": [] }"""), ErrorCodes.HashMismatch, "config_hash" },
        { "uppercase hash", Text("""{ "v": 1, "sequence": 1, "config_hash": "4F53CDA18C2BAA0C0354BB5F9A3ECBE5ED12AB4D8E11BA873C2F11161202B945", "commands": [] }"""), ErrorCodes.HashMismatch, "config_hash" },
        { "hash of other whitespace is still the same canonical hash, but commands changed", Text("""{ "v": 1, "sequence": 1, "config_hash": "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", "commands": [ { "index": 0, "topic": "monitoring", "body": {} } ] }"""), ErrorCodes.HashMismatch, "config_hash" },
        { "commands missing", Text($$"""{ "v": 1, "sequence": 1, "config_hash": "{{GoodHash}}" }"""), ErrorCodes.InvalidField, "commands" },
        { "issued_at not RFC 3339", Batch("[]", issuedAt: "yesterday"), ErrorCodes.InvalidField, "issued_at" },
        // command list
        { "unknown topic", Batch("""[ { "index": 0, "topic": "monitoring", "body": {} }, { "index": 1, "topic": "bgp", "body": {} } ]"""), ErrorCodes.UnsupportedTopic, "commands[1].topic" },
        { "duplicate index", Batch("""[ { "index": 0, "topic": "monitoring", "body": {} }, { "index": 0, "topic": "acl", "body": {} } ]"""), ErrorCodes.InvalidField, "commands[1].index" },
        { "index gap", Batch("""[ { "index": 0, "topic": "monitoring", "body": {} }, { "index": 2, "topic": "acl", "body": {} } ]"""), ErrorCodes.InvalidField, "commands[1].index" },
        { "topic twice", Batch("""[ { "index": 0, "topic": "acl", "body": {} }, { "index": 1, "topic": "acl", "body": {} } ]"""), ErrorCodes.InvalidField, "commands[1].topic" },
        { "command not an object", Batch("""[ "interface" ]"""), ErrorCodes.InvalidField, "commands[0]" },
        { "body missing", Batch("""[ { "index": 0, "topic": "acl" } ]"""), ErrorCodes.InvalidField, "commands[0].body" },
        { "float metric", One("static", Route("""{ "destination": "10.20.0.0/16", "interface": "wg0", "metric": 100.5 }""")), ErrorCodes.InvalidField, "commands[0].body.routes[0].metric" },
        { "float under an unknown key", One("monitoring", """{ "future": { "ratio": 0.5 } }"""), ErrorCodes.InvalidField, "commands[0].body.future.ratio" },
        { "exponent number", One("monitoring", """{ "keepalive_interval_s": 3e1 }"""), ErrorCodes.InvalidField, "commands[0].body.keepalive_interval_s" },
        // interface
        { "interface name -v", One("interface", Iface("""{ "name": "-v", "addresses": [] }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].name" },
        { "interface name with space", One("interface", Iface("""{ "name": "a b" }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].name" },
        { "interface name wg0;reboot", One("interface", Iface("""{ "name": "wg0;reboot" }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].name" },
        { "interface name 17 chars", One("interface", Iface("""{ "name": "abcdefghijklmnopq" }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].name" },
        { "interface name ..", One("interface", Iface("""{ "name": ".." }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].name" },
        { "interface name missing", One("interface", Iface("""{ "mtu": 1500 }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].name" },
        { "interface address without prefix", One("interface", Iface("""{ "name": "lan0", "addresses": ["192.168.10.1"] }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].addresses[0]" },
        { "interface address octet 300", One("interface", Iface("""{ "name": "lan0", "addresses": ["192.168.10.1/24", "300.1.1.1/24"] }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].addresses[1]" },
        { "interface address octal-looking", One("interface", Iface("""{ "name": "lan0", "addresses": ["010.0.0.1/8"] }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].addresses[0]" },
        { "mtu 500", One("interface", Iface("""{ "name": "lan0", "mtu": 500 }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].mtu" },
        { "mtu 1000 with IPv6", One("interface", Iface("""{ "name": "lan0", "addresses": ["2001:db8::1/64"], "mtu": 1000 }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].mtu" },
        { "mtu 9001", One("interface", Iface("""{ "name": "lan0", "mtu": 9001 }""")), ErrorCodes.InvalidField, "commands[0].body.interfaces[0].mtu" },
        { "interface twice", One("interface", """{ "interfaces": [ { "name": "lan0" }, { "name": "lan0" } ] }"""), ErrorCodes.InvalidField, "commands[0].body.interfaces[1].name" },
        // wireguard
        { "hub key of 31 bytes", One("wireguard", Hub().Replace(KeyA, "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ==")), ErrorCodes.InvalidField, "commands[0].body.hub.public_key" },
        { "hub key not base64", One("wireguard", Hub().Replace(KeyA, "not-a-key")), ErrorCodes.InvalidField, "commands[0].body.hub.public_key" },
        { "preshared key of 33 bytes", One("wireguard", Hub().Replace(Psk, "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB")), ErrorCodes.InvalidField, "commands[0].body.hub.preshared_key" },
        { "hub kind unknown", One("wireguard", Hub().Replace("dedicated_edge", "edge")), ErrorCodes.InvalidField, "commands[0].body.hub.kind" },
        { "hub missing", One("wireguard", """{ "interface": "wg0" }"""), ErrorCodes.InvalidField, "commands[0].body.hub" },
        { "endpoint with a space", One("wireguard", Hub().Replace("hub.example.net:51820", "hub example.net:51820")), ErrorCodes.InvalidField, "commands[0].body.hub.endpoint" },
        { "endpoint label starting with -", One("wireguard", Hub().Replace("hub.example.net:51820", "-hub.example.net:51820")), ErrorCodes.InvalidField, "commands[0].body.hub.endpoint" },
        { "endpoint port 70000", One("wireguard", Hub().Replace("hub.example.net:51820", "hub.example.net:70000")), ErrorCodes.InvalidField, "commands[0].body.hub.endpoint" },
        { "endpoint without port", One("wireguard", Hub().Replace("hub.example.net:51820", "hub.example.net")), ErrorCodes.InvalidField, "commands[0].body.hub.endpoint" },
        { "endpoint IPv6 without brackets", One("wireguard", Hub().Replace("hub.example.net:51820", "2001:db8::1:51820")), ErrorCodes.InvalidField, "commands[0].body.hub.endpoint" },
        { "endpoint bad IPv4", One("wireguard", Hub().Replace("hub.example.net:51820", "203.0.113.300:51820")), ErrorCodes.InvalidField, "commands[0].body.hub.endpoint" },
        { "listen_port 0", One("wireguard", Hub().Replace("\"listen_port\": 51820", "\"listen_port\": 0")), ErrorCodes.InvalidField, "commands[0].body.listen_port" },
        { "keepalive 70000", One("wireguard", Hub().Replace("\"persistent_keepalive\": 25", "\"persistent_keepalive\": 70000")), ErrorCodes.InvalidField, "commands[0].body.hub.persistent_keepalive" },
        { "allowed_ips with host bits", One("wireguard", Hub().Replace("10.0.0.0/8", "10.0.0.1/8")), ErrorCodes.InvalidField, "commands[0].body.hub.allowed_ips[0]" },
        { "wg interface wg0;reboot", One("wireguard", Hub().Replace("\"interface\": \"wg0\"", "\"interface\": \"wg0;reboot\"")), ErrorCodes.InvalidField, "commands[0].body.interface" },
        { "lan subnet /33", One("wireguard", Hub().Replace("192.168.10.0/24", "192.168.10.0/33")), ErrorCodes.InvalidField, "commands[0].body.lan_subnets[0]" },
        { "enabled as string", One("wireguard", Hub().Replace("\"enabled\": true", "\"enabled\": \"yes\"")), ErrorCodes.InvalidField, "commands[0].body.enabled" },
        // static
        { "route destination with host bits", One("static", Route("""{ "destination": "10.20.0.1/16", "gateway": "10.255.0.1" }""")), ErrorCodes.InvalidField, "commands[0].body.routes[0].destination" },
        { "route gateway of the wrong family", One("static", Route("""{ "destination": "10.20.0.0/16", "gateway": "2001:db8::1" }""")), ErrorCodes.InvalidField, "commands[0].body.routes[0].gateway" },
        { "route without gateway or interface", One("static", Route("""{ "destination": "10.20.0.0/16", "metric": 5 }""")), ErrorCodes.InvalidField, "commands[0].body.routes[0].gateway" },
        { "route table 255", One("static", Route("""{ "destination": "10.20.0.0/16", "interface": "wg0", "table": 255 }""")), ErrorCodes.InvalidField, "commands[0].body.routes[0].table" },
        { "route table 0", One("static", Route("""{ "destination": "10.20.0.0/16", "interface": "wg0", "table": 0 }""")), ErrorCodes.InvalidField, "commands[0].body.routes[0].table" },
        { "route metric -1", One("static", Route("""{ "destination": "10.20.0.0/16", "interface": "wg0", "metric": -1 }""")), ErrorCodes.InvalidField, "commands[0].body.routes[0].metric" },
        { "route listed twice", One("static", """{ "routes": [ { "destination": "10.20.0.0/16", "interface": "wg0" }, { "destination": "10.20.0.0/16", "gateway": "10.255.0.1" } ] }"""), ErrorCodes.InvalidField, "commands[0].body.routes[1].destination" },
        { "sixth route of the third command", Batch("""
            [ { "index": 0, "topic": "interface", "body": {} }, { "index": 1, "topic": "monitoring", "body": {} },
              { "index": 2, "topic": "static", "body": { "routes": [
                { "destination": "10.1.0.0/16", "interface": "wg0" }, { "destination": "10.2.0.0/16", "interface": "wg0" },
                { "destination": "10.3.0.0/16", "interface": "wg0" }, { "destination": "10.4.0.0/16", "interface": "wg0" },
                { "destination": "10.5.0.0/16", "interface": "wg0" }, { "destination": "10.6.0.0/33", "interface": "wg0" } ] } } ]
            """), ErrorCodes.InvalidField, "commands[2].body.routes[5].destination" },
        // nat44
        { "nat IPv6 source", One("nat44", Nat("""{ "type": "masquerade", "source": "2001:db8::/64", "out_interface": "eth0" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].source" },
        { "snat without to_address", One("nat44", Nat("""{ "type": "snat", "source": "192.168.10.0/24", "out_interface": "wg0" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].to_address" },
        { "snat to an IPv6 address", One("nat44", Nat("""{ "type": "snat", "out_interface": "wg0", "to_address": "2001:db8::2" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].to_address" },
        { "dnat to without port", One("nat44", Nat("""{ "type": "dnat", "in_interface": "wg0", "protocol": "tcp", "destination_port": 8080, "to": "192.168.10.5" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].to" },
        { "dnat protocol icmp", One("nat44", Nat("""{ "type": "dnat", "in_interface": "wg0", "protocol": "icmp", "to": "192.168.10.5:80" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].protocol" },
        { "dnat port 65536", One("nat44", Nat("""{ "type": "dnat", "in_interface": "wg0", "protocol": "tcp", "destination_port": 65536, "to": "192.168.10.5:80" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].destination_port" },
        { "nat type redirect", One("nat44", Nat("""{ "type": "redirect", "out_interface": "eth0" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].type" },
        { "masquerade with to_address", One("nat44", Nat("""{ "type": "masquerade", "out_interface": "eth0", "to_address": "10.255.0.2" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].to_address" },
        { "masquerade out_interface -v", One("nat44", Nat("""{ "type": "masquerade", "out_interface": "-v" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].out_interface" },
        // acl
        { "upside-down port range", One("acl", Acl("""{ "name": "r", "chain": "forward", "action": "accept", "protocol": "tcp", "destination_ports": "22,2000-1000" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].destination_ports" },
        { "port 0", One("acl", Acl("""{ "name": "r", "chain": "forward", "action": "accept", "protocol": "udp", "destination_ports": "0" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].destination_ports" },
        { "16 ports", One("acl", Acl("""{ "name": "r", "chain": "forward", "action": "accept", "protocol": "tcp", "destination_ports": "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].destination_ports" },
        { "8 ranges count 16 ports", One("acl", Acl("""{ "name": "r", "chain": "forward", "action": "accept", "protocol": "tcp", "destination_ports": "1-2,3-4,5-6,7-8,9-10,11-12,13-14,15-16" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].destination_ports" },
        { "ports with icmp", One("acl", Acl("""{ "name": "r", "chain": "forward", "action": "accept", "protocol": "icmp", "destination_ports": "22" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].destination_ports" },
        { "ports without protocol", One("acl", Acl("""{ "name": "r", "chain": "forward", "action": "accept", "source_ports": "22" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].source_ports" },
        { "rule name used twice", One("acl", """{ "rules": [ { "name": "r", "chain": "forward", "action": "accept" }, { "name": "r", "chain": "input", "action": "drop" } ] }"""), ErrorCodes.InvalidField, "commands[0].body.rules[1].name" },
        { "rule name with spaces", One("acl", Acl("""{ "name": "ssh from hub", "chain": "forward", "action": "accept" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].name" },
        { "chain output", One("acl", Acl("""{ "name": "r", "chain": "output", "action": "accept" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].chain" },
        { "action allow", One("acl", Acl("""{ "name": "r", "chain": "input", "action": "allow" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].action" },
        { "forward_policy allow", One("acl", """{ "forward_policy": "allow" }"""), ErrorCodes.InvalidField, "commands[0].body.forward_policy" },
        { "input rule with out_interface", One("acl", Acl("""{ "name": "r", "chain": "input", "action": "accept", "out_interface": "lan0" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].out_interface" },
        { "acl IPv6 destination", One("acl", Acl("""{ "name": "r", "chain": "forward", "action": "accept", "destination": "2001:db8::/32" }""")), ErrorCodes.InvalidField, "commands[0].body.rules[0].destination" },
        // monitoring
        { "keepalive interval 0", One("monitoring", """{ "keepalive_interval_s": 0 }"""), ErrorCodes.InvalidField, "commands[0].body.keepalive_interval_s" },
        { "inform interval 86401", One("monitoring", """{ "inform_interval_s": 86401 }"""), ErrorCodes.InvalidField, "commands[0].body.inform_interval_s" },
        { "handshake timeout as string", One("monitoring", """{ "handshake_timeout_s": "180" }"""), ErrorCodes.InvalidField, "commands[0].body.handshake_timeout_s" },
        { "stun server without port", One("monitoring", """{ "stun_servers": ["stun.example.net:3478", "stun.example.net"] }"""), ErrorCodes.InvalidField, "commands[0].body.stun_servers[1]" },
    };

    public static TheoryData<string, byte[], string, string> Peerings => new()
    {
        { "role hub", Peering($"[{WgGroup(Member()).Replace("mesh-peer", "hub")}]"), ErrorCodes.NotAllowed, "groups[0].role" },
        { "role observer", Peering($"[{WgGroup(Member()).Replace("mesh-peer", "observer")}]"), ErrorCodes.InvalidField, "groups[0].role" },
        { "second WireGuard interface", Peering($"[{WgGroup(Member())}, {WgGroup(Member("E-101", KeyB).Replace("10.30.0.0/16", "10.31.0.0/16"), "\"interface\": \"wg3\",", "pg-3")}]"), ErrorCodes.NotAllowed, "groups[1].interface" },
        { "group id twice", Peering($"[{WgGroup(Member())}, {IpsecGroup(Link(), id: "pg-1")}]"), ErrorCodes.InvalidField, "groups[1].id" },
        { "protocol gre", Peering($"[{WgGroup(Member()).Replace("\"wireguard\"", "\"gre\"")}]"), ErrorCodes.InvalidField, "groups[0].protocol" },
        { "member key of the wrong length", Peering($"[{WgGroup(Member(key: "AQID"))}]"), ErrorCodes.InvalidField, "groups[0].members[0].public_key" },
        { "member key twice on the interface", Peering($"[{WgGroup(Member() + "," + Member("E-101").Replace("10.30.0.0/16", "10.31.0.0/16"))}]"), ErrorCodes.InvalidField, "groups[0].members[1].public_key" },
        { "member serial twice", Peering($"[{WgGroup(Member() + "," + Member(key: KeyB).Replace("10.30.0.0/16", "10.31.0.0/16"))}]"), ErrorCodes.InvalidField, "groups[0].members[1].serial" },
        { "member without endpoint or allowed_ips", Peering($$"""[{{WgGroup($$"""{ "serial": "E-100", "public_key": "{{KeyA}}", "tunnel_ip": "10.250.0.1" }""")}}]"""), ErrorCodes.InvalidField, "groups[0].members[0].endpoint" },
        { "member endpoint -host", Peering($"[{WgGroup(Member().Replace("198.51.100.7:51821", "-e100.example.net:51821"))}]"), ErrorCodes.InvalidField, "groups[0].members[0].endpoint" },
        { "tunnel_address not a prefix", Peering($"[{WgGroup(Member()).Replace("10.250.0.5/24", "10.250.0.5")}]"), ErrorCodes.InvalidField, "groups[0].tunnel_address" },
        { "direct timeout float", Peering($"[{WgGroup(Member(), "\"direct_timeout_s\": 30.5,")}]"), ErrorCodes.InvalidField, "groups[0].direct_timeout_s" },
        { "wrong peering hash", Encoding.UTF8.GetBytes($$"""{ "v": 1, "sequence": 7, "config_hash": "{{GoodHash}}", "groups": [] }"""), ErrorCodes.HashMismatch, "config_hash" },
        { "SPI 0", Peering($"[{IpsecGroup(Link(outSpi: "0x0"))}]"), ErrorCodes.InvalidField, "groups[0].links[0].outbound.spi" },
        { "SPI without 0x", Peering($"[{IpsecGroup(Link(outSpi: "c001"))}]"), ErrorCodes.InvalidField, "groups[0].links[0].outbound.spi" },
        { "SPI reused in one link", Peering($"[{IpsecGroup(Link(inSpi: "0x0000c001"))}]"), ErrorCodes.InvalidField, "groups[0].links[0].inbound.spi" },
        { "SPI reused across links", Peering($"[{IpsecGroup(Link() + "," + Link("l-2", "0x0000c002", "0x0000c004", "\"10.41.0.0/16\""))}]"), ErrorCodes.InvalidField, "groups[0].links[1].outbound.spi" },
        { "IPSec key of 70 hex", Peering($"[{IpsecGroup(Link(outKey: IpsecKeyOut[..70]))}]"), ErrorCodes.InvalidField, "groups[0].links[0].outbound.key" },
        { "IPSec key not hex", Peering($"[{IpsecGroup(Link(inKey: "zz" + IpsecKeyIn[2..]))}]"), ErrorCodes.InvalidField, "groups[0].links[0].inbound.key" },
        { "overlapping remote subnets", Peering($"[{IpsecGroup(Link() + "," + Link("l-2", "0x0000c003", "0x0000c004", "\"10.40.128.0/17\""))}]"), ErrorCodes.InvalidField, "groups[0].links[1].remote_subnets[0]" },
        { "link id twice", Peering($"[{IpsecGroup(Link() + "," + Link("l-1", "0x0000c003", "0x0000c004", "\"10.41.0.0/16\""))}]"), ErrorCodes.InvalidField, "groups[0].links[1].id" },
        { "IPv6 local address", Peering($"[{IpsecGroup(Link()).Replace("198.51.100.2", "2001:db8::2")}]"), ErrorCodes.InvalidField, "groups[0].local_address" },
        { "IPv6 remote subnet", Peering($"[{IpsecGroup(Link(remote: "\"2001:db8::/48\""))}]"), ErrorCodes.InvalidField, "groups[0].links[0].remote_subnets[0]" },
    };

    [Theory]
    [MemberData(nameof(Batches))]
    public void Bad_batch_is_rejected_with_code_and_path(string name, byte[] payload, string code, string path)
    {
        var result = BatchDecoder.Decode(payload);
        Assert.False(result.IsValid, name);
        Assert.Null(result.Batch);
        var first = result.FirstError!;
        Assert.True(code == first.Code && path == first.Path, $"{name}: expected {code} {path}, got {first}");
    }

    [Theory]
    [MemberData(nameof(Peerings))]
    public void Bad_peering_is_rejected_with_code_and_path(string name, byte[] payload, string code, string path)
    {
        var result = PeeringDecoder.Decode(payload);
        Assert.False(result.IsValid, name);
        var first = result.FirstError!;
        Assert.True(code == first.Code && path == first.Path, $"{name}: expected {code} {path}, got {first}");
    }
}
