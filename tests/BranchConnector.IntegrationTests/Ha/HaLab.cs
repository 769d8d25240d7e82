using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Ha;

/// <summary>One box of the pair: its namespace, agent and addresses.</summary>
public sealed record HaBox(string Name, string Namespace, AgentProcess Agent, string LanAddress, string TunnelIp, string WanAddress, string HubWanEnd, string BackboneIf);

/// <summary>
/// A site with a redundant pair, the way the field has it: a hub namespace (broker on 192.0.2.1, a wireguard-go
/// hub 10.255.0.1 with a "data centre" host 10.20.0.1 behind it), two boxes each with its own WAN link to the
/// hub and its own backbone, one LAN (a bridge in a switch namespace) joining both boxes and a LAN host
/// 192.168.10.5 whose gateway is the virtual address 192.168.10.1. The hub's half (HaFollower) moves the
/// site's subnet to the master's peer. Interface names carry the world's tag (wireguard-go sockets are shared).
/// </summary>
public sealed class HaLab : IAsyncDisposable
{
    public const string HubWanA = "192.0.2.1";
    public const string HubTunnelIp = "10.255.0.1";
    public const string DataCentreIp = "10.20.0.1";
    public const string LanHostIp = "192.168.10.5";
    public const string VirtualIp = "192.168.10.1";
    public const string LanSubnet = "192.168.10.0/24";
    public const int HubPort = 51820;

    public NetnsWorld World { get; } = new();
    public string Hub { get; private set; } = "";
    public string Switch { get; private set; } = "";
    public string Lan { get; private set; } = "";
    public string HubWg => $"wgh{World.Tag}";
    public string LanIf => $"lan{World.Tag}";
    public string HubPublicKey { get; private set; } = "";
    public MosquittoBroker Broker { get; private set; } = null!;
    public TestHub TestHub { get; private set; } = null!;
    public HaFollower Follower { get; private set; } = null!;
    public HaBox A { get; private set; } = null!;
    public HaBox B { get; private set; } = null!;

    public static async Task<HaLab> StartAsync()
    {
        var lab = new HaLab();
        try
        {
            await lab.BuildAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync()
    {
        Hub = await World.AddNamespaceAsync("hub");
        Switch = await World.AddNamespaceAsync("sw");
        Lan = await World.AddNamespaceAsync("lan");
        var nsA = await World.AddNamespaceAsync("a");
        var nsB = await World.AddNamespaceAsync("b");
        await World.ExecOkAsync(Switch, "ip", "link", "add", "br0", "type", "bridge");
        await World.ExecOkAsync(Switch, "ip", "link", "set", "br0", "up");
        await PlugAsync(Lan, "eth0", "ph");
        await World.ExecOkAsync(Lan, "ip", "addr", "add", LanHostIp + "/24", "dev", "eth0");
        await World.ExecOkAsync(Lan, "ip", "link", "set", "eth0", "up");
        await World.ExecOkAsync(Lan, "ip", "route", "add", "default", "via", VirtualIp);

        await StartHubWireGuardAsync();
        await WireBoxAsync("a", nsA, "192.0.2.2/30", HubWanA, "pa");
        await WireBoxAsync("b", nsB, "192.0.2.6/30", "192.0.2.5", "pb");
        var serialA = "BC-HA" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var serialB = "BC-HB" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        Broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            Namespace = Hub,
            ListenAddress = HubWanA,
            Users = new Dictionary<string, string> { [TestHub.User] = "hub-pw", [serialA] = "secret-a", [serialB] = "secret-b" },
        });
        Follower = new HaFollower(Hub, HubWg, [LanSubnet]);
        TestHub = await TestHub.StartAsync(Broker, Follower.OnMessage);
        A = await BoxAsync("a", nsA, serialA, "secret-a", "192.168.10.2", "10.255.0.2", "192.0.2.2/30", HubWanA, "pa");
        B = await BoxAsync("b", nsB, serialB, "secret-b", "192.168.10.3", "10.255.0.3", "192.0.2.6/30", "192.0.2.5", "pb");
    }

    private async Task PlugAsync(string ns, string inside, string port)
    {
        await Sh.OkAsync("ip", "link", "add", inside, "netns", ns, "type", "veth", "peer", "name", port, "netns", Switch);
        await World.ExecOkAsync(Switch, "ip", "link", "set", port, "master", "br0");
        await World.ExecOkAsync(Switch, "ip", "link", "set", port, "up");
    }

    private async Task WireBoxAsync(string name, string ns, string wan, string hubEnd, string port)
    {
        var hubIf = $"w{name}{World.Tag}";
        await World.LinkAsync(Hub, hubIf, hubEnd + "/30", ns, $"wan{World.Tag}", wan);
        // The broker and the hub's WireGuard listen on 192.0.2.1; box b reaches it through its own link.
        await World.ExecOkAsync(ns, "ip", "route", "add", "default", "via", hubEnd);
        await PlugAsync(ns, LanIf, port);
        await World.ExecOkAsync(ns, "ip", "link", "set", LanIf, "up");
        await World.EnableForwardingAsync(ns);
    }

    private async Task<HaBox> BoxAsync(string name, string ns, string serial, string password, string lanAddress, string tunnelIp, string wan, string hubEnd, string port)
    {
        var agent = await AgentProcess.CreateAsync(ns, serial, Broker, password);
        var backbone = $"wg{name}{World.Tag}";
        World.TrackWireGuardInterface(backbone);
        return new HaBox(name, ns, agent, lanAddress, tunnelIp, wan, hubEnd, backbone);
    }

    private async Task StartHubWireGuardAsync()
    {
        World.TrackWireGuardInterface(HubWg);
        await World.ExecOkAsync(Hub, "wireguard-go", HubWg);
        var key = (await Sh.OkAsync("wg", "genkey")).Trim();
        HubPublicKey = (await StdinAsync("wg", key + "\n", "pubkey")).Trim();
        await StdinAsync("ip", $"[Interface]\nPrivateKey = {key}\nListenPort = {HubPort}\n", "netns", "exec", Hub, "wg", "setconf", HubWg, "/dev/stdin");
        await World.ExecOkAsync(Hub, "ip", "addr", "add", HubTunnelIp + "/24", "dev", HubWg);
        await World.ExecOkAsync(Hub, "ip", "link", "set", HubWg, "up");
        await World.ExecOkAsync(Hub, "ip", "addr", "add", DataCentreIp + "/32", "dev", "lo");
        await World.ExecOkAsync(Hub, "ip", "route", "add", LanSubnet, "dev", HubWg);
    }

    public HaBox Other(HaBox box) => box == A ? B : A;

    /// <summary>Starts both agents, lets their keys in at the hub (the orchestrator's job) and applies the pair's batches.</summary>
    public async Task StartPairAsync(bool preempt = false)
    {
        foreach (var box in new[] { A, B }) box.Agent.Start();
        foreach (var box in new[] { A, B })
        {
            var register = await TestHub.WaitForAsync($"VSRE/{box.Agent.Serial}/register", o => o["public_keys"] is JsonObject, TimeSpan.FromSeconds(30), "register");
            await World.ExecOkAsync(Hub, "wg", "set", HubWg, "peer", register["public_keys"]!["wg0"]!.GetValue<string>(), "allowed-ips", box.TunnelIp + "/32");
        }
        foreach (var box in new[] { A, B })
        {
            await TestHub.PublishBatchAsync(box.Agent.Serial, Batch(box, 1, preempt));
            var confirm = await TestHub.WaitForConfirmAsync(box.Agent.Serial, 1);
            Assert.True(confirm["success"]!.GetValue<bool>(), confirm.ToJsonString() + "\n" + box.Agent.Output);
        }
    }

    public JsonObject Batch(HaBox box, long sequence, bool preempt = false, bool withHa = true)
    {
        var commands = new List<(string, JsonObject)>
        {
            ("interface", new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = LanIf, ["addresses"] = new JsonArray(box.LanAddress + "/24") }) }),
            ("wireguard", new JsonObject
            {
                ["interface"] = box.BackboneIf, ["enabled"] = true, ["addresses"] = new JsonArray(box.TunnelIp + "/32"), ["listen_port"] = 51820, ["mtu"] = 1420,
                ["hub"] = new JsonObject
                {
                    ["kind"] = "dedicated_edge", ["name"] = "hub-test", ["public_key"] = HubPublicKey, ["endpoint"] = $"{HubWanA}:{HubPort}",
                    ["allowed_ips"] = new JsonArray("10.255.0.0/24", "10.20.0.0/16"), ["persistent_keepalive"] = 2,
                },
                ["lan_subnets"] = new JsonArray(LanSubnet),
            }),
        };
        if (withHa)
            commands.Add(("ha", new JsonObject
            {
                ["group"] = "site-42", ["vrid"] = 42, ["interface"] = LanIf, ["virtual_addresses"] = new JsonArray(VirtualIp + "/24"),
                ["priority"] = box == A ? 150 : 100, ["peers"] = new JsonArray(Other(box).LanAddress), ["advert_interval_ms"] = 100, ["preempt"] = preempt,
            }));
        return TestHub.Batch(sequence, [.. commands]);
    }

    public string HaTopic(HaBox box) => $"VSRE/{box.Agent.Serial}/ha/state";

    /// <summary>The first HaState of the box in <paramref name="state"/> after message <paramref name="after"/>.</summary>
    public async Task<JsonObject> WaitHaAsync(HaBox box, string state, int after = 0, int seconds = 30)
    {
        try
        {
            return await TestHub.WaitForAsync(HaTopic(box), o => o["state"]?.GetValue<string>() == state, TimeSpan.FromSeconds(seconds), $"{box.Name} {state}", after);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{await DiagnoseAsync(box)}", e);
        }
    }

    /// <summary>What a failing step needs to be understood: the box's addresses, processes, keepalived files and agent log.</summary>
    public async Task<string> DiagnoseAsync(HaBox box)
    {
        var addr = await World.ExecAsync(box.Namespace, "ip", "-o", "addr");
        var pids = await Sh.RunAsync("ip", "netns", "pids", box.Namespace);
        var ps = string.Join("\n", pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            try { return p + " " + File.ReadAllText($"/proc/{p.Trim()}/cmdline").Replace('\0', ' '); } catch (IOException) { return p; }
        }));
        var dir = Path.Combine(box.Agent.RuntimeDir, "ha");
        var files = Directory.Exists(dir) ? string.Join("\n", Directory.EnumerateFiles(dir).Where(f => !f.EndsWith(".fifo", StringComparison.Ordinal)).Select(f => $"--- {f}\n{File.ReadAllText(f)}")) : "(no ha dir)";
        return $"box {box.Name} addresses:\n{addr.Stdout}\nprocesses:\n{ps}\n{files}\nagent:\n{box.Agent.Output}";
    }

    /// <summary>Which box is master once the pair has settled (one master, and the hub has moved the site to it).</summary>
    public async Task<HaBox> MasterAsync(int seconds = 60, HaBox? dead = null)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            // A box killed hard says nothing more: its last HaState stays what it was.
            var last = new[] { A, B }.Where(b => b != dead).Select(b => (Box: b, State: LastHa(b)?["state"]?.GetValue<string>())).ToList();
            var masters = last.Where(l => l.State == "master").ToList();
            if (masters.Count == 1 && Follower.Moves.LastOrDefault()?.Serial == masters[0].Box.Agent.Serial) return masters[0].Box;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no settled master: a={LastHa(A)?.ToJsonString()} b={LastHa(B)?.ToJsonString()} moves={string.Join(", ", Follower.Log)}\n{await DiagnoseAsync(A)}\n{await DiagnoseAsync(B)}");
    }

    public JsonObject? LastHa(HaBox box) =>
        TestHub.Messages.LastOrDefault(m => m.Topic == HaTopic(box)) is { } m ? JsonNode.Parse(m.Payload) as JsonObject : null;

    public int HaCount(HaBox box) => TestHub.Count(HaTopic(box));

    public async Task<string> LanAddressesAsync(HaBox box) => await World.ExecOkAsync(box.Namespace, "ip", "-4", "-o", "addr", "show", "dev", LanIf);

    /// <summary>Every process of the box killed (agent, wireguard-go, keepalived) and its links gone: a dead box.</summary>
    public async Task KillHardAsync(HaBox box)
    {
        var pids = await Sh.RunAsync("ip", "netns", "pids", box.Namespace);
        foreach (var pid in pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            await Sh.RunAsync("kill", "-9", pid);
        await box.Agent.KillAsync();
        await World.ExecAsync(box.Namespace, "ip", "link", "del", LanIf);
        await World.ExecAsync(box.Namespace, "ip", "link", "del", $"wan{World.Tag}");
    }

    /// <summary>A ping from the LAN host to the data centre every 20 ms, until stopped.</summary>
    public PingRun StartPing() => PingRun.Start(Lan, DataCentreIp);

    public async Task<bool> PingOnceAsync(int seconds = 20)
    {
        var sw = Stopwatch.StartNew();
        do
        {
            if ((await World.ExecAsync(Lan, "ping", "-c", "2", "-i", "0.2", "-W", "1", DataCentreIp)).Succeeded) return true;
        }
        while (sw.Elapsed < TimeSpan.FromSeconds(seconds));
        return false;
    }

    private static async Task<string> StdinAsync(string file, string stdin, params string[] args)
    {
        var r = await new BranchConnector.Agent.Tools.ProcessCommandRunner().RunAsync(new BranchConnector.Agent.Tools.CommandRequest(file, args) { Stdin = stdin, StdinIsSecret = true }, CancellationToken.None);
        if (!r.Succeeded) throw new InvalidOperationException(r.Describe());
        return r.Stdout;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var box in new[] { A, B })
            if (box is not null) await box.Agent.DisposeAsync();
        if (TestHub is not null) await TestHub.DisposeAsync();
        if (Follower is not null) await Follower.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
        await World.DisposeAsync();
    }
}

/// <summary>`ping -i 0.02` in a namespace; stopped with SIGINT, it reports sent and received.</summary>
public sealed class PingRun
{
    private readonly Process _process;
    private readonly Task<string> _stdout;

    private PingRun(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
    }

    public static PingRun Start(string ns, string target)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", ns, "ping", "-n", "-i", "0.02", "-W", "1", target }) psi.ArgumentList.Add(a);
        return new PingRun(Process.Start(psi)!);
    }

    /// <summary>Stops the ping (after the replies in flight) and returns (transmitted, received).</summary>
    public async Task<(int Sent, int Received, string Text)> StopAsync()
    {
        await Task.Delay(1500);
        await Sh.RunAsync("kill", "-INT", _process.Id.ToString(CultureInfo.InvariantCulture));
        await _process.WaitForExitAsync();
        var text = await _stdout;
        var line = text.Split('\n').FirstOrDefault(l => l.Contains("packets transmitted", StringComparison.Ordinal)) ?? "";
        var numbers = System.Text.RegularExpressions.Regex.Matches(line, @"\d+").Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        return numbers.Count >= 2 ? (numbers[0], numbers[1], line) : (0, 0, text);
    }
}
