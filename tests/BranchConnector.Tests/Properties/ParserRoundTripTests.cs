using System.Globalization;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Tools;
using BranchConnector.Tests.FakeKernel;
using CsCheck;
using Kernel = BranchConnector.Tests.FakeKernel.FakeKernel;

namespace BranchConnector.Tests.Properties;

/// <summary>
/// Every parser of observed state: a generated kernel model, printed by the fake kernel in the tool's format,
/// parsed by the agent, gives back exactly the model (the agent's part of it; foreign objects are skipped).
/// </summary>
public class ParserRoundTripTests
{
    private const int Iterations = 300;

    private static string Run(Kernel k, params string[] command) =>
        k.RunAsync(CommandRequest.Of(command[0], command[1..]), CancellationToken.None).GetAwaiter().GetResult() is { Succeeded: true } r
            ? r.Stdout : throw new InvalidOperationException(string.Join(' ', command));

    [Fact]
    public void Ip_addr_json()
    {
        var link = Gen.Select(Gens.IfName, Gen.Int[68, 65535], Gen.Bool, Gen.OneOf<string?>(null, "wireguard", "veth", "tun"), Gens.InterfaceCidr.List[0, 5]);
        link.List[0, 6].Sample(links =>
        {
            var k = new Kernel();
            var expected = new List<ObservedLink> { new("lo", 1, 65536, true, null, ["127.0.0.1/8", "::1/128"]) };
            foreach (var (name, mtu, up, kind, addresses) in links.DistinctBy(l => l.Item1))
            {
                var l = k.AddLink(name, mtu, up, kind, [.. addresses.Distinct()]);
                expected.Add(new ObservedLink(name, l.Index, mtu, up, kind, l.Addresses.OrderBy(Family).ToEquatableList()));
            }
            Assert.Equal(expected, AddressParser.Parse(Run(k, "ip", "-j", "-d", "addr", "show")));
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Ip_route_json_per_family()
    {
        var route = Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 2000], Gen.OneOf(254, 100, 51820, 253), Gen.OneOf(188, 188, 4, 3), Gen.Bool)
            .SelectMany(t => Gen.Select(Gens.Prefix(t.Item1 ? Gens.V6 : Gens.V4), t.Item1 ? Gens.V6 : Gens.V4, Gen.Int[1, 3])
                .Select(p => new FakeRoute(t.Item1 ? IpFamily.V6 : IpFamily.V4, p.Item1, t.Item2 ? p.Item2.ToString() : null, "eth" + p.Item3,
                    t.Item1 && t.Item3 == 0 ? 1024 : t.Item3, t.Item4, t.Item5, t.Item6)));
        route.List[0, 12].Sample(routes =>
        {
            var k = new Kernel();
            k.Routes.AddRange(routes.DistinctBy(r => r.Key));
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var expected = k.Routes.Where(r => r.Family == family && r.Protocol == 188).Select(r => new ObservedRoute(r.Destination, r.Gateway, r.Device,
                    family == IpFamily.V4 && r.Metric == 0 ? null : r.Metric, r.Table, "188")).ToList();
                var flag = family == IpFamily.V6 ? "-6" : "-4";
                Assert.Equal(expected, RouteParser.Parse(Run(k, "ip", flag, "-N", "-j", "route", "show", "table", "all", "proto", "188"), family));
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Ip_rule_json_per_family()
    {
        var rule = Gen.Select(Gen.Bool, Gen.Int[5170, 5195], Gen.Bool, Gen.Bool, Gen.OneOf<int?>(null, 254, 51820, 100), Gen.OneOf<uint?>(null, 0xca6c, 7), Gen.Bool, Gen.OneOf<int?>(null, 0, 8))
            .SelectMany(t => Gen.Select(Gens.Prefix(t.Item1 ? Gens.V6 : Gens.V4), Gens.Prefix(t.Item1 ? Gens.V6 : Gens.V4)).Select(p =>
                new FakeRule(t.Item1 ? IpFamily.V6 : IpFamily.V4, t.Item2, t.Item3 ? p.Item1 : null, t.Item4 ? p.Item2 : null, t.Item5 ?? 254, t.Item6, t.Item7, t.Item8)));
        rule.List[0, 10].Sample(rules =>
        {
            var k = new Kernel();
            k.Rules.AddRange(rules);
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var expected = k.Rules.Where(r => r.Family == family && RuleBand.Contains(r.Priority))
                    .Select(r => new ObservedRule(r.Priority, r.From, r.To, r.Table, r.Fwmark, r.Invert, r.Suppress, family)).ToList();
                var flag = family == IpFamily.V6 ? "-6" : "-4";
                Assert.Equal(expected, RuleParser.Parse(Run(k, "ip", flag, "-N", "-j", "rule", "show"), family));
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Wg_show_dump()
    {
        var peer = Gen.Select(Gens.WgKey, Gens.WgKey.Null(), Gen.Select(Gens.Address, Gen.Int[1, 65535]).Nullable(), Gens.Prefix(Gens.Address).List[0, 4],
            Gen.Select(Gen.Long[0, 2_000_000_000], Gen.Long[0, long.MaxValue / 2], Gen.Long[0, long.MaxValue / 2], Gen.Int[0, 65535]));
        Gen.Select(Gens.WgKey, Gens.WgKey, Gen.Int[1, 65535], Gen.UInt, peer.List[0, 5]).Sample(d =>
        {
            var (privateKey, publicKey, port, fwmark, peers) = d;
            var k = new Kernel();
            k.KnowKeyPair(privateKey, publicKey);
            k.AddLink("wg0", kind: "wireguard");
            var device = new FakeWgDevice { PrivateKey = privateKey, ListenPort = port, Fwmark = fwmark };
            foreach (var (key, psk, endpoint, allowed, (handshake, rx, tx, keepalive)) in peers.DistinctBy(p => p.Item1))
            {
                var p = new FakeWgPeer(key) { PresharedKey = psk, LatestHandshake = handshake, RxBytes = rx, TxBytes = tx, PersistentKeepalive = keepalive,
                    Endpoint = endpoint is { } e ? (e.Item1.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{e.Item1}]:{e.Item2}" : $"{e.Item1}:{e.Item2}") : null };
                p.AllowedIps.AddRange(allowed.Distinct());
                device.Peers.Add(p);
            }
            SetDevice(k, "wg0", device);
            var expected = new ObservedWgDevice("wg0", publicKey, port, fwmark, device.Peers.Select(p => new ObservedWgPeer(p.PublicKey,
                p.PresharedKey is null ? null : WgDumpParser.Digest(p.PresharedKey), p.Endpoint, p.AllowedIps.Order(StringComparer.Ordinal).ToEquatableList(),
                p.LatestHandshake == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(p.LatestHandshake), p.RxBytes, p.TxBytes, p.PersistentKeepalive)).ToEquatableList());
            Assert.Equal(expected, WgDumpParser.Parse("wg0", Run(k, "wg", "show", "wg0", "dump")));
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Iptables_save()
    {
        var own = Gen.OneOf(OwnChain.All.ToArray());
        var spec = Gen.Select(Gen.OneOf("-i wg0", "-o wg1", "-s 10.0.0.0/8", "-p tcp -m tcp --dport 22", "-m comment --comment \"x y\""), Gen.OneOf("ACCEPT", "DROP", "RETURN"))
            .Select(t => $"{t.Item1} -j {t.Item2}");
        var step = Gen.Select(Gen.Int[0, 3], own, spec, Gen.Bool);
        Gen.Select(Gen.Bool, step.List[0, 20]).Sample(t =>
        {
            var (v6, steps) = t;
            var family = v6 ? IpFamily.V6 : IpFamily.V4;
            var k = new Kernel();
            var n = k.Netfilter(family);
            foreach (var (kind, chain, rule, atTop) in steps)
            {
                switch (kind)
                {
                    case 0: n.Append(chain.Table, chain.Name, rule); break; // a rule of ours
                    case 1: n.Append(chain.Table, chain.Hook, rule); break; // a foreign rule in a built-in chain
                    case 2: n.Append(chain.Table, chain.Hook, "-m comment --comment branch-connector -j " + chain.Name); n.Append(chain.Table, chain.Name, rule); break;
                    default: n.Append(chain.Table, "FOREIGN-" + chain.Table, rule); break;
                }
            }
            var chains = OwnChain.All.Where(c => n.HasChain(c.Table, c.Name))
                .Select(c => new ChainRules(c, n.Rules(c.Table, c.Name).Select(r => $"-A {c.Name} {r}").ToEquatableList())).ToEquatableList();
            var jumps = new List<ObservedJump>();
            foreach (var table in OwnChain.Tables)
                foreach (var hook in OwnChain.All.Where(c => c.Table == table).Select(c => c.Hook).Distinct())
                    jumps.AddRange(n.Rules(table, hook).Select((r, i) => (r, i)).Where(x => OwnChain.Find(table, FakeNetfilter.TargetChain(x.r) ?? "") is not null)
                        .Select(x => new ObservedJump(OwnChain.Find(table, FakeNetfilter.TargetChain(x.r)!)!, hook, x.i + 1, $"-A {hook} {x.r}")));
            var parsed = IptablesSaveParser.Parse(family, Run(k, v6 ? "ip6tables-nft-save" : "iptables-nft-save"));
            Assert.Equal(chains, parsed.Chains);
            Assert.Equal(jumps.OrderBy(j => j.Line, StringComparer.Ordinal).ThenBy(j => j.Position), parsed.Jumps.OrderBy(j => j.Line, StringComparer.Ordinal).ThenBy(j => j.Position));
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Ip_xfrm_state()
    {
        var replay = Gen.Bool.SelectMany(esn => Gen.Select(Gen.Int[0, 4096], esn ? Gen.ULong : Gen.UInt.Select(v => (ulong)v), esn ? Gen.ULong : Gen.UInt.Select(v => (ulong)v),
            (window, inbound, outbound) => (esn, window, inbound, outbound)));
        var sa = Gen.Select(Gen.Select(Gens.Address, Gens.Address, Gen.UInt, Gen.OneOf(Gen.UInt[XfrmBands.ReqidFirst, XfrmBands.ReqidLast], Gen.UInt)), Gens.HexKey,
            Gen.Select(Gen.Int[1, 65535], Gen.Int[1, 65535]).Nullable(), Gen.OneOf<uint?>(null, null, 7), replay);
        sa.List[0, 8].Sample(list =>
        {
            var k = new Kernel();
            foreach (var ((src, dst, spi, reqid), key, encap, mark, r) in list)
                k.States.Add(new FakeSa(src.ToString(), dst.ToString(), spi, reqid, "tunnel", XfrmRenderer.Aead, key, 128, encap is null ? null : "espinudp", encap?.Item1 ?? 0, encap?.Item2 ?? 0, mark)
                {
                    Esn = r.esn, ReplayWindow = r.window, InboundSequence = r.inbound, OutboundSequence = r.outbound,
                });
            var expected = k.States.Where(s => s.Mark is null && XfrmBands.ContainsReqid(s.Reqid)).Select(s => new ObservedSa(s.Source, s.Destination, s.Spi, s.Reqid, "tunnel",
                XfrmRenderer.Aead, XfrmKeyDigest.Of(s.KeyHex), 128, s.EncapType is null ? null : new SaEncap("espinudp", s.EncapSport, s.EncapDport))
            {
                Esn = s.Esn, ReplayWindow = s.ReplayWindow, InboundSequence = s.InboundSequence, OutboundSequence = s.OutboundSequence,
            }).ToList();
            Assert.Equal(expected, XfrmStateParser.Parse(Run(k, "ip", "xfrm", "state", "list")));
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Ip_xfrm_policy()
    {
        var policy = Gen.Bool.SelectMany(v6 =>
        {
            var a = v6 ? Gens.V6 : Gens.V4;
            return Gen.Select(Gens.Prefix(a), Gens.Prefix(a), Gen.OneOf("out", "in", "fwd"), Gen.OneOf(Gen.UInt[XfrmBands.PriorityFirst, XfrmBands.PriorityLast], Gen.UInt),
                Gen.Select(a, a, Gen.UInt).Select(t => new FakeTemplate(t.Item1.ToString(), t.Item2.ToString(), "esp", t.Item3, "tunnel")).List[0, 2],
                Gen.OneOf<uint?>(null, null, 7), Gen.OneOf<string?>(null, null, "proto udp dport 53"));
        });
        policy.List[0, 8].Sample(list =>
        {
            var k = new Kernel();
            foreach (var (src, dst, dir, priority, templates, mark, upper) in list)
                k.Policies.Add(new FakePolicy(src, dst, upper, dir, priority, templates, mark));
            var expected = Enumerable.Reverse(k.Policies).Where(p => p.Mark is null && XfrmBands.ContainsPriority(p.Priority)).Select(p =>
                (new PolicyKey(Enum.Parse<PolicyDir>(p.Dir, ignoreCase: true), p.Source, p.Destination, p.Upper), p.Priority,
                 string.Join(";", p.Templates.Select(t => new PolicyTemplate(t.Source, t.Destination, t.Proto, t.Reqid, t.Mode))), p.Upper is null)).ToList();
            var parsed = XfrmPolicyParser.Parse(Run(k, "ip", "xfrm", "policy", "list"))
                .Select(p => (p.Key, p.Priority, string.Join(";", p.Templates), p.Unmodeled is null)).ToList();
            Assert.Equal(expected, parsed);
        }, iter: Iterations, threads: 1);
    }

    private static IpFamily Family(string cidr) => cidr.Contains(':', StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4;

    private static void SetDevice(Kernel k, string name, FakeWgDevice device)
    {
        var target = k.WgDevices[name];
        target.PrivateKey = device.PrivateKey;
        target.ListenPort = device.ListenPort;
        target.Fwmark = device.Fwmark;
        target.Peers.AddRange(device.Peers);
    }
}
