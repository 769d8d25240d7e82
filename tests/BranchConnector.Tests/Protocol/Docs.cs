using System.Text;
using System.Text.Json;
using BranchConnector.Agent.Protocol;

namespace BranchConnector.Tests.Protocol;

/// <summary>Builds inbound documents with a correct config_hash, so each test breaks exactly one thing.</summary>
internal static class Docs
{
    public const string KeyA = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    public const string KeyB = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
    public const string KeyC = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
    /// <summary>A preshared key value that must never show up in any text the agent produces.</summary>
    public const string Psk = "c2VjcmV0LXByZXNoYXJlZC1rZXktMzItYnl0ZXMhISE=";
    public const string IpsecKeyOut = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01020304";
    public const string IpsecKeyIn = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100a1b2c3d4";

    public static byte[] Batch(string commandsJson, long sequence = 42, string issuedAt = "2026-11-22T10:00:00.000Z")
    {
        using var commands = JsonDocument.Parse(commandsJson);
        var hash = ConfigHash.Compute(commands.RootElement);
        return Encoding.UTF8.GetBytes($$"""{ "v": 1, "sequence": {{sequence}}, "config_hash": "{{hash}}", "issued_at": "{{issuedAt}}", "commands": {{commandsJson}} }""");
    }

    /// <summary>A batch of one command.</summary>
    public static byte[] One(string topic, string bodyJson) => Batch($$"""[ { "index": 0, "topic": "{{topic}}", "body": {{bodyJson}} } ]""");

    public static byte[] Peering(string groupsJson, long sequence = 7)
    {
        using var groups = JsonDocument.Parse(groupsJson);
        var hash = ConfigHash.Compute(groups.RootElement);
        return Encoding.UTF8.GetBytes($$"""{ "v": 1, "sequence": {{sequence}}, "config_hash": "{{hash}}", "groups": {{groupsJson}} }""");
    }

    public static string WgGroup(string members, string extra = "", string id = "pg-1") => $$"""
        { "id": "{{id}}", "name": "apac", "protocol": "wireguard", "topology": "mesh", "role": "mesh-peer",
          "tunnel_address": "10.250.0.5/24", "listen_port": 51821, {{extra}} "members": [ {{members}} ] }
        """;

    public static string Member(string serial = "E-100", string key = KeyA, string extra = "") => $$"""
        { "serial": "{{serial}}", "public_key": "{{key}}", "endpoint": "198.51.100.7:51821", "tunnel_ip": "10.250.0.1",
          "allowed_ips": ["10.30.0.0/16"] {{extra}} }
        """;

    public static string IpsecGroup(string links, string id = "pg-2") => $$"""
        { "id": "{{id}}", "name": "dc-links", "protocol": "ipsec", "topology": "mesh", "role": "mesh-peer",
          "listen_port": 4500, "local_address": "198.51.100.2", "links": [ {{links}} ] }
        """;

    public static string Link(string id = "l-1", string outSpi = "0x0000c001", string inSpi = "0x0000c002", string remote = "\"10.40.0.0/16\"",
        string outKey = IpsecKeyOut, string inKey = IpsecKeyIn) => $$"""
        { "id": "{{id}}", "peer_serial": "E-200", "remote_address": "198.51.100.9", "remote_port": 4500,
          "local_subnets": ["192.168.10.0/24"], "remote_subnets": [{{remote}}],
          "outbound": { "spi": "{{outSpi}}", "key": "{{outKey}}" }, "inbound": { "spi": "{{inSpi}}", "key": "{{inKey}}" } }
        """;

    public static string Hub(string extra = "") => $$"""
        { "interface": "wg0", "enabled": true, "addresses": ["10.255.0.2/32"], "listen_port": 51820, "mtu": 1420,
          "hub": { "kind": "dedicated_edge", "name": "hub-syd-1", "public_key": "{{KeyA}}", "endpoint": "hub.example.net:51820",
                   "allowed_ips": ["10.0.0.0/8"], "persistent_keepalive": 25, "preshared_key": "{{Psk}}" {{extra}} },
          "lan_subnets": ["192.168.10.0/24"] }
        """;
}
