using System.Globalization;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>
/// The oracle: what the fake kernel must hold once an intent is applied, computed from the intent directly
/// (not from the planner), object by object, in the kernel's own model.
/// </summary>
internal static class Expected
{
    public static void Holds(FakeKernel kernel, KernelIntent intent, IReadOnlyCollection<RetiringSa> retiring, IReadOnlyDictionary<string, IReadOnlyList<string>> foreignAddresses)
    {
        foreach (var want in intent.Links)
        {
            var link = kernel.Link(want.Name) ?? throw new Xunit.Sdk.XunitException($"link {want.Name} missing");
            if (want.Mtu is int mtu) Assert.Equal(mtu, link.Mtu);
            if (want.SetUp) Assert.True(link.Up, $"{want.Name} is down");
            var expected = foreignAddresses.GetValueOrDefault(want.Name, []).Concat(want.Addresses.Select(Addr.Interface)).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(expected, link.Addresses.Order(StringComparer.Ordinal));
        }
        foreach (var (name, addresses) in foreignAddresses.Where(f => intent.Links.All(l => l.Name != f.Key)))
            if (kernel.Link(name) is { } link) Assert.Equal(addresses.Order(StringComparer.Ordinal), link.Addresses.Order(StringComparer.Ordinal));

        var routes = intent.Routes.Select(r => (r.Destination, r.Gateway, r.Device, r.Metric, r.Table)).Distinct()
            .Select(r => Route(r.Destination, r.Gateway, r.Device, r.Metric, r.Table)).Order(StringComparer.Ordinal);
        var agentRoutes = kernel.Routes.Where(r => r.Protocol == 188)
            .Select(r => Route(r.Destination, r.Gateway, intent.Routes.Any(d => Addr.Network(d.Destination) == r.Destination && d.Device is null) ? null : r.Device, r.Metric, r.Table));
        Assert.Equal(routes, agentRoutes.Order(StringComparer.Ordinal));

        var rules = intent.Rules.Select(r => new FakeRule(r.Family, r.Priority, r.From is null ? null : Addr.Network(r.From), r.To is null ? null : Addr.Network(r.To), r.Table, r.Fwmark, r.Invert, r.SuppressPrefixLength)).Distinct();
        Assert.Equal(rules.Select(r => r.ToString()).Order(StringComparer.Ordinal),
            kernel.Rules.Where(r => r.Priority is >= 5180 and <= 5189).Select(r => r.ToString()).Order(StringComparer.Ordinal));

        Assert.Equal(intent.WgDevices.Select(d => d.Interface).Order(StringComparer.Ordinal), kernel.Links.Where(l => l.Kind == "wireguard").Select(l => l.Name).Order(StringComparer.Ordinal));
        foreach (var want in intent.WgDevices)
        {
            var device = kernel.WgDevices[want.Interface];
            if (want.ListenPort is int port) Assert.Equal(port, device.ListenPort);
            Assert.Equal(want.Fwmark, device.Fwmark);
            // wg keeps an endpoint the config does not name (setconf semantics), so only a named one is checked.
            var free = want.Peers.Where(p => p.Endpoint is null).Select(p => p.PublicKey).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(want.Peers.Select(Peer).Order(StringComparer.Ordinal), device.Peers.Select(p => Peer(p, free.Contains(p.PublicKey))).Order(StringComparer.Ordinal));
        }

        var firewall = intent.Firewall is null ? null : FirewallRenderer.Render(intent.Firewall);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var netfilter = kernel.Netfilter(family);
            foreach (var chain in OwnChain.All)
            {
                var want = firewall?.For(family).Find(chain);
                if (firewall is null) continue;
                Assert.Equal(want is not null, netfilter.HasChain(chain.Table, chain.Name));
                var jumps = netfilter.Rules(chain.Table, chain.Hook).Select((r, i) => (r, i)).Where(x => FakeNetfilter.TargetChain(x.r) == chain.Name).ToList();
                if (want is null) { Assert.Empty(jumps); continue; }
                Assert.Equal(want.Rules, netfilter.Rules(chain.Table, chain.Name).Select(r => $"-A {chain.Name} {r}"));
                Assert.Equal([("-m comment --comment branch-connector -j " + chain.Name, 0)], jumps);
            }
        }

        var xfrm = XfrmIntent.From(new DesiredPeering([], intent.Ipsec));
        var states = xfrm.Sas.Select(s => $"{s.Source} {s.Destination} {s.Spi:x8} {s.Reqid:x8} {s.Key.Value} {s.SourcePort} {s.DestinationPort}")
            .Concat(kernel.States.Where(s => retiring.Any(r => r.Identity == new SaKey(s.Destination, s.Spi))).Select(State)).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(states, kernel.States.Where(s => s.Mark is null && XfrmBands.ContainsReqid(s.Reqid)).Select(State).Order(StringComparer.Ordinal));
        var policies = xfrm.Policies.Select(p => $"{p.Key.Dir.ToString().ToLowerInvariant()} {p.Key.Source} {p.Key.Destination} {p.Template.Source} {p.Template.Destination} {p.Template.Reqid:x8}").Order(StringComparer.Ordinal);
        Assert.Equal(policies, kernel.Policies.Where(p => p.Mark is null && p.Priority == XfrmBands.Priority)
            .Select(p => $"{p.Dir} {p.Source} {p.Destination} {p.Templates.Single().Source} {p.Templates.Single().Destination} {p.Templates.Single().Reqid:x8}").Order(StringComparer.Ordinal));
    }

    private static string State(FakeSa s) => $"{s.Source} {s.Destination} {s.Spi:x8} {s.Reqid:x8} {s.KeyHex} {s.EncapSport} {s.EncapDport}";

    private static string Route(string destination, string? gateway, string? device, int? metric, int table)
    {
        var network = Addr.Network(destination);
        var family = Addr.Family(network);
        var effective = family == IpFamily.V6 ? (metric is null or 0 ? 1024 : metric.Value) : metric ?? 0;
        return $"{network} via {(gateway is null ? "-" : Addr.Parse(gateway).ToString())} dev {device ?? "(any)"} metric {effective.ToString(CultureInfo.InvariantCulture)} table {table.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Peer(Agent.Linux.WireGuard.DesiredWgPeer p) =>
        $"{p.PublicKey} psk {(p.PresharedKey is null ? "-" : p.PresharedKey.Value)} endpoint {p.Endpoint ?? "-"} allowed {string.Join(',', p.AllowedIps.Select(Addr.Network).Order(StringComparer.Ordinal))} keepalive {p.PersistentKeepalive}";

    private static string Peer(FakeWgPeer p, bool anyEndpoint) =>
        $"{p.PublicKey} psk {p.PresharedKey ?? "-"} endpoint {(anyEndpoint ? "-" : p.Endpoint ?? "-")} allowed {string.Join(',', p.AllowedIps.Order(StringComparer.Ordinal))} keepalive {p.PersistentKeepalive}";
}
