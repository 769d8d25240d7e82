using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Lab;

/// <summary>One branch of a <see cref="PeeringLab"/>: its namespaces, addresses, agent and keys.</summary>
public sealed record LabBranch(string Name, string Namespace, string LanNamespace, string Wan, string LanSubnet, string LanHost, string TunnelIp, string PeeringIp, string BackboneIf, string PeeringIf, AgentProcess Agent)
{
    public string Serial => Agent.Serial;
    public string BackboneKey { get; set; } = "";
    public string PeeringKey { get; set; } = "";
}

/// <summary>
/// Hub and two branches behind a WAN router namespace (the place where the lab blocks UDP between branches):
/// hub 203.0.113.2 (broker, wireguard-go hub that relays between branches), branch A 198.51.100.2 with LAN
/// 192.168.1.0/24, branch B 198.51.100.18 with LAN 192.168.2.0/24.
/// </summary>
public sealed class PeeringLab : IAsyncDisposable
{
    public const string HubWan = "203.0.113.2";
    public const int PeeringPort = 51821;
    public NetnsWorld World { get; } = new();
    public string Router { get; private set; } = "";
    public string Hub { get; private set; } = "";
    public string HubWg => $"wgh{World.Tag}";
    public string HubPublicKey { get; private set; } = "";
    public MosquittoBroker Broker { get; private set; } = null!;
    public TestHub TestHub { get; private set; } = null!;
    public LabBranch A { get; private set; } = null!;
    public LabBranch B { get; private set; } = null!;

    public static async Task<PeeringLab> StartAsync()
    {
        var lab = new PeeringLab();
        try { await lab.BuildAsync(); return lab; }
        catch { await lab.DisposeAsync(); throw; }
    }

    private async Task BuildAsync()
    {
        Router = await World.AddNamespaceAsync("wan");
        Hub = await World.AddNamespaceAsync("hub");
        await World.EnableForwardingAsync(Router);
        await World.EnableForwardingAsync(Hub);
        await World.LinkAsync(Router, "hub", "203.0.113.1/24", Hub, "wan", HubWan + "/24");
        await World.ExecOkAsync(Hub, "ip", "route", "add", "default", "via", "203.0.113.1");
        HubPublicKey = await StartHubWireGuardAsync();
        var users = new Dictionary<string, string> { [TestHub.User] = "hub-pw" };
        var serialA = "BC-A" + World.Tag.ToUpperInvariant();
        var serialB = "BC-B" + World.Tag.ToUpperInvariant();
        users[serialA] = "pw-a";
        users[serialB] = "pw-b";
        Broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Namespace = Hub, ListenAddress = HubWan, Users = users });
        TestHub = await TestHub.StartAsync(Broker);
        A = await AddBranchAsync("a", serialA, "pw-a", "198.51.100.1/28", "198.51.100.2", "192.168.1", "10.255.0.2", "10.250.0.1");
        B = await AddBranchAsync("b", serialB, "pw-b", "198.51.100.17/28", "198.51.100.18", "192.168.2", "10.255.0.3", "10.250.0.2");
    }

    private async Task<LabBranch> AddBranchAsync(string name, string serial, string password, string routerSide, string wan, string lanPrefix, string tunnelIp, string peeringIp)
    {
        var ns = await World.AddNamespaceAsync(name);
        var lan = await World.AddNamespaceAsync("l" + name);
        await World.LinkAsync(Router, "to" + name, routerSide, ns, "wan", wan + "/28");
        await World.ExecOkAsync(ns, "ip", "route", "add", "default", "via", routerSide.Split('/')[0]);
        await World.LinkAsync(ns, "lan", lanPrefix + ".1/24", lan, "eth0", lanPrefix + ".5/24");
        await World.ExecOkAsync(lan, "ip", "route", "add", "default", "via", lanPrefix + ".1");
        await World.EnableForwardingAsync(ns);
        var agent = await AgentProcess.CreateAsync(ns, serial, Broker, password, extraYaml: "firewall: { manage: false }\n");
        var branch = new LabBranch(name, ns, lan, wan, lanPrefix + ".0/24", lanPrefix + ".5", tunnelIp, peeringIp, $"wgb{name}{World.Tag}", $"wgp{name}{World.Tag}", agent);
        World.TrackWireGuardInterface(branch.BackboneIf);
        World.TrackWireGuardInterface(branch.PeeringIf);
        return branch;
    }

    private async Task<string> StartHubWireGuardAsync()
    {
        World.TrackWireGuardInterface(HubWg);
        await World.ExecOkAsync(Hub, "wireguard-go", HubWg);
        var key = (await Sh.OkAsync("wg", "genkey")).Trim();
        var pub = (await Stdin("wg", key + "\n", "pubkey")).Trim();
        await Stdin("ip", $"[Interface]\nPrivateKey = {key}\nListenPort = 51820\n", "netns", "exec", Hub, "wg", "setconf", HubWg, "/dev/stdin");
        await World.ExecOkAsync(Hub, "ip", "addr", "add", "10.255.0.1/24", "dev", HubWg);
        await World.ExecOkAsync(Hub, "ip", "link", "set", HubWg, "up");
        return pub;
    }

    /// <summary>Starts both agents, learns their keys from Register, lets them in at the hub and applies their backbone batches.</summary>
    public async Task BringUpBackbonesAsync()
    {
        foreach (var b in new[] { A, B })
        {
            b.Agent.Start();
            var register = await TestHub.WaitForAsync($"VSRE/{b.Serial}/register", o => o["public_keys"] is JsonObject, TimeSpan.FromSeconds(30), "register " + b.Serial);
            b.BackboneKey = register["public_keys"]!["wg0"]!.GetValue<string>();
            b.PeeringKey = register["public_keys"]!["wg2"]!.GetValue<string>();
            await World.ExecOkAsync(Hub, "wg", "set", HubWg, "peer", b.BackboneKey, "allowed-ips", $"{b.TunnelIp}/32,{b.LanSubnet}");
            await World.ExecOkAsync(Hub, "ip", "route", "replace", b.LanSubnet, "dev", HubWg);
            await TestHub.PublishBatchAsync(b.Serial, TestHub.Batch(1, ("wireguard", new JsonObject
            {
                ["interface"] = b.BackboneIf, ["enabled"] = true, ["addresses"] = new JsonArray(b.TunnelIp + "/32"),
                ["hub"] = new JsonObject
                {
                    ["kind"] = "dedicated_edge", ["name"] = "hub", ["public_key"] = HubPublicKey, ["endpoint"] = $"{HubWan}:51820",
                    ["allowed_ips"] = new JsonArray("10.255.0.0/24"), ["persistent_keepalive"] = 1,
                },
                ["lan_subnets"] = new JsonArray(b.LanSubnet),
            })));
            var confirm = await TestHub.WaitForConfirmAsync(b.Serial, 1);
            if (confirm["success"]?.GetValue<bool>() != true) throw new InvalidOperationException($"backbone batch failed: {confirm.ToJsonString()}\n{b.Agent.Output}");
        }
    }

    /// <summary>The peering document for one branch: one WireGuard group with the other branch as member.</summary>
    public JsonObject PeeringFor(LabBranch self, LabBranch other, long sequence, int directTimeoutS = 4, params JsonObject[] extraMembers) =>
        TestHub.Peering(sequence, new JsonArray(new JsonObject
        {
            ["id"] = "pg-1", ["name"] = "lab", ["protocol"] = "wireguard", ["topology"] = "mesh", ["role"] = "mesh-peer",
            ["interface"] = self.PeeringIf, ["tunnel_address"] = self.PeeringIp + "/24", ["listen_port"] = PeeringPort,
            ["direct_timeout_s"] = directTimeoutS,
            ["members"] = new JsonArray([new JsonObject
            {
                ["serial"] = other.Serial, ["public_key"] = other.PeeringKey, ["endpoint"] = $"{other.Wan}:{PeeringPort}",
                ["tunnel_ip"] = other.PeeringIp, ["allowed_ips"] = new JsonArray(other.LanSubnet),
            }, .. extraMembers]),
        }));

    /// <summary>A member that exists only on paper (a far edge that never answers).</summary>
    public static JsonObject PaperMember(string serial, string publicKey, string subnet) => new()
    {
        ["serial"] = serial, ["public_key"] = publicKey, ["endpoint"] = "198.51.100.40:51821",
        ["tunnel_ip"] = "10.250.0.40", ["allowed_ips"] = new JsonArray(subnet),
    };

    /// <summary>`wg show IF latest-handshakes` of the branch's peering interface, by peer key.</summary>
    public async Task<Dictionary<string, long>> PeeringHandshakesAsync(LabBranch branch)
    {
        var text = await World.ExecOkAsync(branch.Namespace, "wg", "show", branch.PeeringIf, "latest-handshakes");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(f => f[0], f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task BlockPeeringUdpAsync() => World.ExecOkAsync(Router, "iptables", "-I", "FORWARD", "-p", "udp", "--dport", PeeringPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-j", "DROP");
    public Task UnblockPeeringUdpAsync() => World.ExecOkAsync(Router, "iptables", "-D", "FORWARD", "-p", "udp", "--dport", PeeringPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-j", "DROP");

    public async Task<bool> PingAsync(LabBranch from, LabBranch to, int count = 3) =>
        (await World.ExecAsync(from.LanNamespace, "ping", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "0.3", "-W", "2", to.LanHost)).Succeeded;

    /// <summary>
    /// Pings until one round gets through or the time is up: the first packets of a path wait for a WireGuard
    /// handshake, which on a loaded two-core test machine can take longer than one ping round.
    /// </summary>
    public async Task<bool> PingEventuallyAsync(LabBranch from, LabBranch to, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
            if (await PingAsync(from, to, 3)) return true;
        return false;
    }

    /// <summary>The path the branch reports for its member in TunnelStatus, waiting until it is <paramref name="expected"/>.</summary>
    public Task<JsonObject> WaitForPathAsync(LabBranch branch, string memberSerial, string expected, TimeSpan timeout, int after = 0) =>
        TestHub.WaitForAsync($"VSRE/{branch.Serial}/tunnel/status",
            o => o["tunnels"] is JsonArray t && t.OfType<JsonObject>().Any(x => x["kind"]?.GetValue<string>() == "peering"
                && x["peers"] is JsonArray p && p.OfType<JsonObject>().Any(m => m["serial"]?.GetValue<string>() == memberSerial && m["path"]?.GetValue<string>() == expected)),
            timeout, $"{branch.Serial} reporting {memberSerial} {expected}", after);

    public async Task<long> PeeringRxAsync(LabBranch branch)
    {
        var dump = await World.ExecOkAsync(branch.Namespace, "wg", "show", branch.PeeringIf, "transfer");
        return dump.Split('\n', StringSplitOptions.RemoveEmptyEntries).Sum(l => long.Parse(l.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<string> Stdin(string file, string stdin, params string[] args)
    {
        var r = await new BranchConnector.Agent.Tools.ProcessCommandRunner().RunAsync(new BranchConnector.Agent.Tools.CommandRequest(file, args) { Stdin = stdin, StdinIsSecret = true }, CancellationToken.None);
        if (!r.Succeeded) throw new InvalidOperationException(r.Describe());
        return r.Stdout;
    }

    public async ValueTask DisposeAsync()
    {
        if (A is not null) await A.Agent.DisposeAsync();
        if (B is not null) await B.Agent.DisposeAsync();
        if (TestHub is not null) await TestHub.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
        await World.DisposeAsync();
    }
}
