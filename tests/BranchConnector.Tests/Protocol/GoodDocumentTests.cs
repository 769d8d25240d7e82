using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol;
using static BranchConnector.Tests.Protocol.Docs;

namespace BranchConnector.Tests.Protocol;

public class GoodDocumentTests
{
    private const string FullCommands = $$"""
        [ { "index": 0, "topic": "interface", "body": { "interfaces": [ { "name": "lan0", "addresses": ["192.168.10.1/24", "2001:DB8:0::1/64"], "mtu": 1500 } ] } },
          { "index": 1, "topic": "wireguard", "body": {{HubBody}} },
          { "index": 2, "topic": "static", "body": { "routes": [ { "destination": "10.20.0.0/16", "gateway": "10.255.0.1", "interface": "wg0", "metric": 100, "table": 254 },
                                                               { "destination": "10.21.0.5", "interface": "wg0", "future_key": "ignored" } ] } },
          { "index": 3, "topic": "nat44", "body": { "rules": [ {"type": "masquerade", "source": "192.168.10.0/24", "out_interface": "eth0"},
              {"type": "snat", "source": "192.168.10.0/24", "out_interface": "wg0", "to_address": "10.255.0.2"},
              {"type": "dnat", "in_interface": "wg0", "protocol": "tcp", "destination_port": 8080, "to": "192.168.10.5:80"} ] } },
          { "index": 4, "topic": "acl", "body": { "forward_policy": "drop", "rules": [ {"name": "ssh-from-hub", "chain": "forward", "action": "accept",
              "in_interface": "wg0", "out_interface": "lan0", "source": "10.0.0.0/8", "destination": "192.168.10.0/24", "protocol": "tcp",
              "destination_ports": "22,80,1000-2000"}, {"name": "ping", "chain": "input", "action": "accept", "protocol": "icmp"} ] } },
          { "index": 5, "topic": "monitoring", "body": { "keepalive_interval_s": 15, "stun_servers": ["STUN.example.net:3478", "[2001:db8::5]:3478"] } } ]
        """;

    private const string HubBody = $$"""
        { "interface": "wg0", "enabled": true, "addresses": ["10.255.0.2/32"], "listen_port": 51820, "mtu": 1420,
          "hub": { "kind": "dedicated_edge", "name": "hub-syd-1", "public_key": "{{KeyA}}", "endpoint": "hub.example.net:51820",
                   "allowed_ips": ["10.0.0.0/8"], "persistent_keepalive": 25, "preshared_key": "{{Psk}}" },
          "lan_subnets": ["192.168.10.0/24"] }
        """;

    [Fact]
    public void Full_batch_decodes_into_the_desired_records()
    {
        var result = BatchDecoder.Decode(Batch(FullCommands, sequence: 42));
        Assert.Empty(result.Errors);
        var batch = result.Batch!;
        Assert.Equal(42, batch.Sequence);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), batch.IssuedAt);
        var config = batch.Config;
        Assert.Equal(["interface", "wireguard", "static", "nat44", "acl", "monitoring"], config.Topics);
        Assert.Equal(new InterfaceSpec("lan0", ["192.168.10.1/24", "2001:db8::1/64"], 1500), Assert.Single(config.Interfaces));
        Assert.Equal(new BackboneSpec("wg0", true, ["10.255.0.2/32"], 51820, 1420, HubKind.DedicatedEdge,
            new HubPeer("hub-syd-1", KeyA, new Endpoint("hub.example.net", 51820), ["10.0.0.0/8"], 25, new Secret(Psk)),
            ["192.168.10.0/24"]), config.Backbone);
        Assert.Equal([new StaticRoute("10.20.0.0/16", "10.255.0.1", "wg0", 100, 254), new StaticRoute("10.21.0.5/32", null, "wg0", null, 254)], config.Routes);
        Assert.Equal([
            new NatRule(NatType.Masquerade, "192.168.10.0/24", null, null, "eth0", null, null, null, null),
            new NatRule(NatType.Snat, "192.168.10.0/24", null, null, "wg0", null, null, "10.255.0.2", null),
            new NatRule(NatType.Dnat, null, null, "wg0", null, "tcp", 8080, null, new Endpoint("192.168.10.5", 80))], config.Nat);
        Assert.Equal(new AclSpec(AclAction.Drop, AclAction.Accept, [
            new AclRule("ssh-from-hub", AclChain.Forward, AclAction.Accept, "wg0", "lan0", "10.0.0.0/8", "192.168.10.0/24", "tcp", "22,80,1000:2000", null),
            new AclRule("ping", AclChain.Input, AclAction.Accept, null, null, null, null, "icmp", null, null)]), config.Acl);
        Assert.Equal(new MonitoringSpec(60, 15, 60, 180, [new Endpoint("stun.example.net", 3478), new Endpoint("2001:db8::5", 3478)]), config.Monitoring);
    }

    [Fact]
    public void Empty_batch_is_the_empty_desired_state()
    {
        var result = BatchDecoder.Decode(Batch("[]", sequence: 0));
        Assert.True(result.IsValid);
        Assert.Equal(DesiredConfig.Empty, result.Batch!.Config);
        Assert.Equal("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", result.Batch.ConfigHash);
    }

    [Fact]
    public void Standalone_hub_needs_no_hub_fields()
    {
        var result = BatchDecoder.Decode(One("wireguard", """{ "hub": { "kind": "none" } }"""));
        Assert.Empty(result.Errors);
        Assert.Equal(new BackboneSpec("wg0", true, [], null, null, HubKind.None, null, []), result.Batch!.Config.Backbone);
    }

    [Fact]
    public void Hash_is_over_the_canonical_form_so_key_order_and_whitespace_do_not_matter()
    {
        var hash = BatchDecoder.Decode(One("monitoring", """{ "keepalive_interval_s": 30, "inform_interval_s": 60 }""")).Batch!.ConfigHash;
        var payload = System.Text.Encoding.UTF8.GetBytes($$"""{"commands":[{"body":{"inform_interval_s":60,"keepalive_interval_s":30},"topic":"monitoring","index":0}],"config_hash":"{{hash}}","sequence":1,"v":1}""");
        Assert.True(BatchDecoder.Decode(payload).IsValid);
    }

    [Fact]
    public void Every_error_is_collected_in_document_order_with_index_and_topic()
    {
        var result = BatchDecoder.Decode(Batch("""
            [ { "index": 0, "topic": "interface", "body": { "interfaces": [ { "name": "-v", "mtu": 100 } ] } },
              { "index": 1, "topic": "static", "body": { "routes": [ { "destination": "10.0.0.1/8", "interface": "a b" } ] } },
              { "index": 2, "topic": "bgp", "body": {} } ]
            """));
        Assert.Equal([
            ("invalid_field", "commands[0].body.interfaces[0].name", 0, "interface"),
            ("invalid_field", "commands[0].body.interfaces[0].mtu", 0, "interface"),
            ("invalid_field", "commands[1].body.routes[0].destination", 1, "static"),
            ("invalid_field", "commands[1].body.routes[0].interface", 1, "static"),
            ("unsupported_topic", "commands[2].topic", 2, "bgp")],
            result.Errors.Select(e => (e.Code, e.Path, e.Index!.Value, e.Topic!)).ToList());
        Assert.Equal(42, result.Sequence);
        Assert.NotNull(result.ConfigHash);
    }

    [Fact]
    public void Malformed_has_no_sequence()
    {
        var result = BatchDecoder.Decode("not json"u8);
        Assert.Null(result.Sequence);
        Assert.Equal(ErrorCodes.Malformed, result.FirstError!.Code);
    }

    [Fact]
    public void Peering_decodes_wireguard_and_ipsec_groups()
    {
        var relayedOnly = $$"""{ "serial": "E-101", "public_key": "{{KeyB}}", "allowed_ips": ["10.31.0.0/16"] }""";
        var groups = $"[{WgGroup(Member() + "," + relayedOnly)}, {IpsecGroup(Link())}]";
        var result = PeeringDecoder.Decode(Peering(groups, sequence: 7));
        Assert.Empty(result.Errors);
        var peering = result.Peering!.Peering;
        Assert.Equal("wg2", peering.WireGuardInterface);
        Assert.Equal(new WireGuardGroup("pg-1", "apac", "mesh", PeeringRole.MeshPeer, "wg2", "10.250.0.5/24", 51821, 30, [
            new PeeringMember("E-100", KeyA, new Endpoint("198.51.100.7", 51821), "10.250.0.1", ["10.30.0.0/16"]),
            new PeeringMember("E-101", KeyB, null, null, ["10.31.0.0/16"])]), Assert.Single(peering.WireGuardGroups));
        Assert.Equal(new IpsecGroup("pg-2", "dc-links", "mesh", PeeringRole.MeshPeer, 4500, "198.51.100.2", [
            new IpsecLink("l-1", "E-200", "198.51.100.9", 4500, ["192.168.10.0/24"], ["10.40.0.0/16"],
                new IpsecSa(0xc001, new Secret(IpsecKeyOut)), new IpsecSa(0xc002, new Secret(IpsecKeyIn)))]), Assert.Single(peering.IpsecGroups));
    }

    [Fact]
    public void Spoke_groups_sharing_the_interface_are_fine()
    {
        var second = WgGroup(Member("E-300", KeyC).Replace("10.30.0.0/16", "10.32.0.0/16"), "\"interface\": \"wg2\",", "pg-9").Replace("mesh-peer", "spoke");
        var result = PeeringDecoder.Decode(Peering($"[{WgGroup(Member())}, {second}]"));
        Assert.Empty(result.Errors);
        Assert.Equal(PeeringRole.Spoke, result.Peering!.Peering.WireGuardGroups[1].Role);
    }

    [Fact]
    public void Secrets_appear_in_no_error_message_and_no_ToString()
    {
        var secrets = new[] { Psk, IpsecKeyOut, IpsecKeyIn, IpsecKeyOut.ToUpperInvariant() };
        // Valid documents: the records' text forms.
        var batch = BatchDecoder.Decode(Batch(FullCommands));
        var peering = PeeringDecoder.Decode(Peering($"[{WgGroup(Member())}, {IpsecGroup(Link())}]"));
        var texts = new List<string> { batch.ToString(), batch.Batch!.ToString(), batch.Batch.Config.ToString(), peering.ToString(), peering.Peering!.Peering.ToString() };
        // Invalid documents around each secret: every error's text.
        var badPsk = Psk[..40] + "!!!=";
        var bad = new[]
        {
            BatchDecoder.Decode(One("wireguard", HubBody.Replace(Psk, badPsk))).Errors,
            BatchDecoder.Decode(One("wireguard", HubBody.Replace(Psk, Psk + "AAAA"))).Errors,
            BatchDecoder.Decode(One("wireguard", HubBody.Replace("\"dedicated_edge\"", "\"x\"").Replace("\"mtu\": 1420", "\"mtu\": 1.5"))).Errors,
            PeeringDecoder.Decode(Peering($"[{IpsecGroup(Link(outKey: IpsecKeyOut[..71], inKey: IpsecKeyIn + "0"))}]")).Errors,
            PeeringDecoder.Decode(Peering($"[{IpsecGroup(Link(outKey: IpsecKeyOut.ToUpperInvariant(), inSpi: "0x0000c001"))}]")).Errors,
        };
        Assert.All(bad, errors => Assert.NotEmpty(errors));
        texts.AddRange(bad.SelectMany(errors => errors.Select(e => e.ToString() + e.Message)));
        foreach (var text in texts)
            foreach (var secret in secrets.Append(badPsk).Append(IpsecKeyOut[..71]).Append(IpsecKeyIn + "0"))
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
    }
}
