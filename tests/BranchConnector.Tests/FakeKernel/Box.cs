using System.Text.Json.Nodes;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Tests.Golden;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>
/// A branch box on the fake kernel with someone else's state on it (routes of other protocols, rules outside the
/// agent's band, Docker-style firewall rules, an IKE daemon's SA and policy, an administrator's address), and
/// the one reconcile step the daemon runs: observe → plan → apply.
/// </summary>
internal sealed class Box
{
    public static readonly string PeeringPrivateKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x55, 32).ToArray());
    public static readonly string PeeringPublicKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x66, 32).ToArray());

    public FakeKernel Kernel { get; } = new();
    public OwnershipRecord Owned { get; private set; } = OwnershipRecord.Empty;
    public IReadOnlyList<Agent.Linux.Xfrm.RetiringSa> Retiring { get; private set; } = [];
    public DateTimeOffset Now { get; private set; } = DateTimeOffset.UnixEpoch.AddDays(20000);

    public Box(bool foreign = true)
    {
        Kernel.KnowKeyPair(PlanCases.PrivateKey, PlanCases.OurKey);
        Kernel.KnowKeyPair(PeeringPrivateKey, PeeringPublicKey);
        Kernel.AddLink("eth0", 1500, true, null, "198.51.100.2/24");
        Kernel.AddLink("lan0", 1500, true, null);
        if (!foreign) return;
        Kernel.AddLink("tun0", 1400, true, "tun", "10.254.0.1/32");
        Kernel.Link("lan0")!.Addresses.Add("192.168.50.1/24");
        Kernel.Routes.Add(new FakeRoute(IpFamily.V4, "0.0.0.0/0", "198.51.100.1", "eth0", 0, 254, 3, false));
        Kernel.Routes.Add(new FakeRoute(IpFamily.V4, "10.99.0.0/16", "198.51.100.1", "eth0", 0, 254, 4, false));
        Kernel.Routes.Add(new FakeRoute(IpFamily.V4, "0.0.0.0/0", null, "tun0", 0, 100, 4, false));
        Kernel.Routes.Add(new FakeRoute(IpFamily.V6, "2001:db8:99::/48", null, "eth0", 1024, 254, 4, false));
        Kernel.Rules.Insert(1, new FakeRule(IpFamily.V4, 100, "192.168.12.0/24", null, 100, null, false, null));
        Kernel.Rules.Insert(2, new FakeRule(IpFamily.V4, 5190, null, null, 100, null, false, null, Iif: "tun0"));
        Kernel.Netfilter4.SetPolicy("filter", "FORWARD", "DROP");
        Kernel.Netfilter4.Append("filter", "INPUT", "-i lo -j ACCEPT");
        Kernel.Netfilter4.Append("filter", "INPUT", "-p tcp -m tcp --dport 22 -m comment --comment \"admin ssh\" -j ACCEPT");
        Kernel.Netfilter4.Append("filter", "DOCKER-USER", "-j RETURN");
        Kernel.Netfilter4.Append("filter", "FORWARD", "-j DOCKER-USER");
        Kernel.Netfilter4.Append("nat", "POSTROUTING", "-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
        Kernel.Netfilter6.Append("filter", "INPUT", "-i lo -j ACCEPT");
        Kernel.States.Add(new FakeSa("198.51.100.2", "165.225.112.12", 0x5f1e1fd1, 16389, "tunnel", "rfc4106(gcm(aes))", new string('a', 72), 128, "espinudp", 4500, 4500));
        Kernel.States.Add(new FakeSa("198.51.100.2", "198.51.100.77", 0xd001, 0xbc000001, "tunnel", "rfc4106(gcm(aes))", new string('b', 72), 128, null, 0, 0, Mark: 7));
        Kernel.Policies.Add(new FakePolicy("192.168.99.0/24", "10.99.0.0/16", null, "out", 0, [new FakeTemplate("198.51.100.2", "165.225.112.12", "esp", 16389, "tunnel")]));
        Kernel.Policies.Add(new FakePolicy("192.168.30.0/24", "10.70.0.0/16", "proto udp dport 53", "out", 0xbc01, [new FakeTemplate("198.51.100.2", "198.51.100.9", "esp", 0xbc000001, "tunnel")], Mark: 7));
    }

    public PlannerContext Context => new(
        WgImplementation.Kernel, Kernel.UserspaceCommand, Owned,
        name => new Secret(name == KeyNames.Peering ? PeeringPrivateKey : PlanCases.PrivateKey),
        Now, TimeSpan.FromSeconds(180), new FirewallSettings(true, FirewallBackendChoice.Auto), FirewallBackend.Nft)
    {
        RetiringSas = Retiring,
    };

    public Task<ObservedState> ObserveAsync(KernelIntent intent) =>
        new StateObserver(Kernel, FirewallBackend.Nft, Kernel.SysctlView).ObserveAsync(intent.WgDevices.Select(d => d.Interface).Concat(Owned.Devices), CancellationToken.None);

    public async Task<ReconcilePlan> PlanAsync(KernelIntent intent) => ReconcilePlanner.Plan(intent, await ObserveAsync(intent), Context);

    /// <summary>One reconcile step as the daemon runs it; the ownership journal and retiring SAs carry over, the clock moves a minute.</summary>
    public async Task<(ReconcilePlan Plan, ApplyResult Result)> ReconcileAsync(KernelIntent intent)
    {
        Now += TimeSpan.FromMinutes(1);
        var plan = await PlanAsync(intent);
        var result = await new PlanApplier(Kernel).ApplyAsync(plan, CancellationToken.None);
        if (result.Succeeded)
        {
            Owned = plan.OwnedAfter;
            Retiring = plan.RetiringSas;
        }
        return (plan, result);
    }

    /// <summary>Everything on the box that is not the agent's, in a comparable form.</summary>
    public IReadOnlyList<string> Foreign() => Kernel.Dump(line => !IsAgents(line));

    private bool IsAgents(string line)
    {
        if (line.Contains(" proto 188", StringComparison.Ordinal)) return true;
        if (line.StartsWith("rule ", StringComparison.Ordinal) && int.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) is >= 5180 and <= 5189
            && !line.EndsWith("iif tun0", StringComparison.Ordinal)) return true;
        if (line.Contains("BC-", StringComparison.Ordinal)) return true;
        if (line.StartsWith("sa ", StringComparison.Ordinal)) return line.Contains(" reqid bc00", StringComparison.Ordinal) && line.EndsWith("mark -", StringComparison.Ordinal);
        if (line.StartsWith("policy ", StringComparison.Ordinal)) return line.Contains(" priority 48128 mark -", StringComparison.Ordinal);
        var owned = Owned.Devices.Concat(Kernel.Links.Where(l => l.Kind == "wireguard").Select(l => l.Name));
        if (owned.Any(d => line.StartsWith($"link {d} ", StringComparison.Ordinal) || line.EndsWith($" dev {d}", StringComparison.Ordinal) || line.StartsWith($"wg {d} ", StringComparison.Ordinal))) return true;
        if (line.StartsWith("address ", StringComparison.Ordinal)) return Owned.Addresses.Any(a => line == $"address {a.Cidr} dev {a.Link}");
        // MTU is the agent's to set on links it was asked to configure.
        return line.StartsWith("link lan0 ", StringComparison.Ordinal);
    }

    public static JsonObject WgPeering(string members) => JsonNode.Parse(Protocol.Docs.WgGroup(members))!.AsObject();

    public static DesiredPeering Peering(params JsonNode[] groups)
    {
        var decoded = PeeringDecoder.Decode(Protocol.Docs.Peering(new JsonArray(groups).ToJsonString()));
        Assert.True(decoded.IsValid, string.Join("; ", decoded.Errors));
        return decoded.Peering!.Peering;
    }

    public static Task<KernelIntent> IntentAsync(DesiredConfig config, DesiredPeering? peering = null) =>
        IntentBuilder.BuildAsync(config, peering ?? DesiredPeering.Empty,
            new OfflineIntentEnvironment(new Dictionary<string, string> { [KeyNames.Backbone] = PlanCases.OurKey, [KeyNames.Peering] = PeeringPublicKey }),
            CancellationToken.None);
}
