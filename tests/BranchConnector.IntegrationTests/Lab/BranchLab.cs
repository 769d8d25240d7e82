using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Lab;

/// <summary>
/// A hub and one branch, the way a box sees the field: a hub namespace with the broker (192.0.2.1:1883) and a
/// wireguard-go hub peer (10.255.0.1, a "data centre" address 10.20.0.1 behind it), a branch namespace running
/// the real agent (WAN 192.0.2.2, LAN link towards a LAN host 192.168.10.5). Interface names carry the world's
/// tag so parallel labs never share a wireguard-go socket.
/// </summary>
public sealed class BranchLab : IAsyncDisposable
{
    public const string HubWan = "192.0.2.1";
    public const string BranchWan = "192.0.2.2";
    public const string HubTunnelIp = "10.255.0.1";
    public const string BranchTunnelIp = "10.255.0.2";
    public const string DataCentreIp = "10.20.0.1";
    public const string LanHostIp = "192.168.10.5";
    public const string LanSubnet = "192.168.10.0/24";
    public const int HubPort = 51820;

    public NetnsWorld World { get; } = new();
    public string Hub { get; private set; } = "";
    public string Branch { get; private set; } = "";
    public string Lan { get; private set; } = "";
    public string HubWg => $"wgh{World.Tag}";
    public string BackboneIf => $"wgb{World.Tag}";
    public string LanIf => $"lan{World.Tag}";
    public string HubPublicKey { get; private set; } = "";
    public MosquittoBroker Broker { get; private set; } = null!;
    public TestHub TestHub { get; private set; } = null!;
    public string Serial { get; } = "BC-T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
    public AgentProcess Agent { get; private set; } = null!;

    public static async Task<BranchLab> StartAsync(int driftCheckSeconds = 60, string extraYaml = "")
    {
        var lab = new BranchLab();
        try
        {
            await lab.BuildAsync(driftCheckSeconds, extraYaml);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync(int driftCheckSeconds, string extraYaml)
    {
        Hub = await World.AddNamespaceAsync("hub");
        Branch = await World.AddNamespaceAsync("br");
        Lan = await World.AddNamespaceAsync("lan");
        await World.LinkAsync(Hub, $"wan{World.Tag}", HubWan + "/24", Branch, $"wan{World.Tag}", BranchWan + "/24");
        await Sh.OkAsync("ip", "link", "add", LanIf, "netns", Branch, "type", "veth", "peer", "name", "eth0", "netns", Lan);
        await World.ExecOkAsync(Branch, "ip", "link", "set", LanIf, "up");
        await World.ExecOkAsync(Lan, "ip", "addr", "add", LanHostIp + "/24", "dev", "eth0");
        await World.ExecOkAsync(Lan, "ip", "link", "set", "eth0", "up");
        await World.ExecOkAsync(Lan, "ip", "route", "add", "default", "via", "192.168.10.1");
        await World.EnableForwardingAsync(Branch);

        await StartHubWireGuardAsync();

        Broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            Namespace = Hub,
            ListenAddress = HubWan,
            Users = new Dictionary<string, string> { [TestHub.User] = "hub-pw", [Serial] = "secret-pw" },
        });
        TestHub = await TestHub.StartAsync(Broker);
        Agent = await AgentProcess.CreateAsync(Branch, Serial, Broker, "secret-pw", extraYaml, driftCheckSeconds);
        World.TrackWireGuardInterface(BackboneIf);
    }

    private async Task StartHubWireGuardAsync()
    {
        World.TrackWireGuardInterface(HubWg);
        await World.ExecOkAsync(Hub, "wireguard-go", HubWg);
        var key = (await Sh.OkAsync("wg", "genkey")).Trim();
        HubPublicKey = (await RunWithStdinAsync("wg", key + "\n", "pubkey")).Trim();
        await RunWithStdinAsync("ip", $"[Interface]\nPrivateKey = {key}\nListenPort = {HubPort}\n", "netns", "exec", Hub, "wg", "setconf", HubWg, "/dev/stdin");
        await World.ExecOkAsync(Hub, "ip", "addr", "add", HubTunnelIp + "/24", "dev", HubWg);
        await World.ExecOkAsync(Hub, "ip", "link", "set", HubWg, "up");
        await World.ExecOkAsync(Hub, "ip", "addr", "add", DataCentreIp + "/32", "dev", "lo");
        await World.ExecOkAsync(Hub, "ip", "route", "add", LanSubnet, "dev", HubWg);
    }

    /// <summary>Lets the agent's backbone key in at the hub (the orchestrator's job in the field).</summary>
    public Task AddBranchPeerAtHubAsync(string branchPublicKey) =>
        World.ExecOkAsync(Hub, "wg", "set", HubWg, "peer", branchPublicKey, "allowed-ips", $"{BranchTunnelIp}/32,{LanSubnet}");

    /// <summary>The agent's Register, once it has been published.</summary>
    public Task<JsonObject> RegisterAsync(TimeSpan? timeout = null) =>
        TestHub.WaitForAsync($"VSRE/{Serial}/register", o => o["public_keys"] is JsonObject, timeout ?? TimeSpan.FromSeconds(30), "register");

    /// <summary>A backbone batch: interface (LAN address), wireguard (hub peer) and optional extra topics.</summary>
    public JsonObject BackboneBatch(long sequence, params (string Topic, JsonObject Body)[] extra)
    {
        var commands = new List<(string, JsonObject)>
        {
            ("interface", new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = LanIf, ["addresses"] = new JsonArray("192.168.10.1/24") }) }),
            ("wireguard", WireGuardBody()),
        };
        commands.AddRange(extra);
        return TestHub.Batch(sequence, [.. commands]);
    }

    public JsonObject WireGuardBody(int keepalive = 2) => new()
    {
        ["interface"] = BackboneIf,
        ["enabled"] = true,
        ["addresses"] = new JsonArray(BranchTunnelIp + "/32"),
        ["listen_port"] = 51820,
        ["mtu"] = 1420,
        ["hub"] = new JsonObject
        {
            ["kind"] = "dedicated_edge", ["name"] = "hub-test", ["public_key"] = HubPublicKey,
            ["endpoint"] = $"{HubWan}:{HubPort}", ["allowed_ips"] = new JsonArray("10.255.0.0/24", "10.20.0.0/16"),
            ["persistent_keepalive"] = keepalive,
        },
        ["lan_subnets"] = new JsonArray(LanSubnet),
    };

    public Task<string> BranchAsync(params string[] command) => World.ExecOkAsync(Branch, command);

    /// <summary>
    /// True once a round of pings gets an answer, trying for up to 15 s: the first packets wait for a WireGuard
    /// handshake, which on a loaded two-core test machine can outlast one round.
    /// </summary>
    public async Task<bool> PingFromLanAsync(string target, int count = 3)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            var r = await World.ExecAsync(Lan, "ping", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "0.3", "-W", "2", target);
            if (r.Succeeded) return true;
        }
        while (sw.Elapsed < TimeSpan.FromSeconds(15));
        return false;
    }

    private static async Task<string> RunWithStdinAsync(string file, string stdin, params string[] args)
    {
        var runner = new BranchConnector.Agent.Tools.ProcessCommandRunner();
        var r = await runner.RunAsync(new BranchConnector.Agent.Tools.CommandRequest(file, args) { Stdin = stdin, StdinIsSecret = true }, CancellationToken.None);
        if (!r.Succeeded) throw new InvalidOperationException(r.Describe());
        return r.Stdout;
    }

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null) await Agent.DisposeAsync();
        if (TestHub is not null) await TestHub.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
        await World.DisposeAsync();
    }
}
