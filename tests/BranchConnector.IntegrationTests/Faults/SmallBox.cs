using System.Globalization;
using System.Text.Json.Nodes;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// The smallest real box for the fault tests: one namespace with a LAN-side veth, the broker and the test hub
/// inside it, and the published agent. No tunnel: the faults under test are in the agent, not in WireGuard.
/// </summary>
public sealed class SmallBox : IAsyncDisposable
{
    public NetnsWorld World { get; } = new();
    public string Ns { get; private set; } = "";
    public string Lan => $"lan{World.Tag}";
    public string Serial { get; } = "BC-F" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
    public MosquittoBroker Broker { get; private set; } = null!;
    public TestHub Hub { get; private set; } = null!;
    public AgentProcess Agent { get; private set; } = null!;

    public static async Task<SmallBox> StartAsync(string extraYaml = "")
    {
        var box = new SmallBox();
        try
        {
            box.Ns = await box.World.AddNamespaceAsync("fb");
            await box.World.ExecOkAsync(box.Ns, "ip", "link", "add", box.Lan, "type", "veth", "peer", "name", $"lp{box.World.Tag}");
            await box.World.ExecOkAsync(box.Ns, "ip", "link", "set", box.Lan, "up");
            await box.World.ExecOkAsync(box.Ns, "ip", "link", "set", $"lp{box.World.Tag}", "up");
            box.Broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
            {
                Namespace = box.Ns,
                Users = new Dictionary<string, string> { [TestHub.User] = "hub-pw", [box.Serial] = "secret-pw" },
            });
            box.Hub = await TestHub.StartAsync(box.Broker);
            box.Agent = await AgentProcess.CreateAsync(box.Ns, box.Serial, box.Broker, "secret-pw", extraYaml);
            return box;
        }
        catch
        {
            await box.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh test hub (its mosquitto_sub does not outlive a broker restart).</summary>
    public async Task RestartHubAsync()
    {
        await Hub.DisposeAsync();
        Hub = await TestHub.StartAsync(Broker);
    }

    public Task<JsonObject> RegisterAsync(TimeSpan? timeout = null) =>
        Hub.WaitForAsync($"VSRE/{Serial}/register", o => o["public_keys"] is JsonObject, timeout ?? TimeSpan.FromSeconds(30), "register");

    /// <summary>A batch: the LAN address, <paramref name="routes"/> routes on the LAN link, and a short status interval.</summary>
    public JsonObject Batch(long sequence, int routes, int firstRoute = 0) => TestHub.Batch(sequence,
        ("interface", new JsonObject { ["interfaces"] = new JsonArray(new JsonObject { ["name"] = Lan, ["addresses"] = new JsonArray("192.168.77.1/24") }) }),
        ("static", Lab.LabSteps.StaticBody(Lab.LabSteps.HostRoutes(routes, firstRoute), Lan)),
        ("monitoring", new JsonObject { ["tunnel_status_interval_s"] = 2 }));

    public async Task<JsonObject> PublishAsync(JsonObject batch, TimeSpan? timeout = null)
    {
        var sequence = batch["sequence"]!.GetValue<long>();
        await Hub.PublishBatchAsync(Serial, batch);
        return await Hub.WaitForConfirmAsync(Serial, sequence, timeout);
    }

    /// <summary>Routes with proto 188 in the main table.</summary>
    public async Task<int> AgentRoutesAsync() =>
        (await World.ExecOkAsync(Ns, "ip", "route", "show", "proto", "188")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public string SocketPath => Path.Combine(Agent.RuntimeDir, "agent.sock");

    public static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null) await Agent.DisposeAsync();
        if (Hub is not null) await Hub.DisposeAsync();
        if (Broker is not null) await Broker.DisposeAsync();
        await World.DisposeAsync();
    }
}
