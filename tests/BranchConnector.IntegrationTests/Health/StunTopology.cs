using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Health;

/// <summary>
/// A client namespace reaching an "internet" namespace that hosts two coturn STUN servers on
/// 203.0.113.10 and 203.0.113.20, either directly or through a "nat" router namespace.
/// </summary>
internal sealed class StunTopology : IAsyncDisposable
{
    public const string ServerA = "203.0.113.10";
    public const string ServerB = "203.0.113.20";
    public const int Port = 3478;

    private readonly List<CoturnStunServer> _servers = [];

    private StunTopology(NetnsWorld world) => World = world;

    public NetnsWorld World { get; }
    public string Client { get; private set; } = "";
    public string Internet { get; private set; } = "";

    /// <summary>The router namespace; null in the direct topology.</summary>
    public string? Router { get; private set; }

    /// <summary>The router's interface towards the internet (where MASQUERADE goes).</summary>
    public string RouterWan => $"h{World.Tag}w";

    /// <summary>The client's address on its segment.</summary>
    public string ClientAddress { get; private set; } = "";

    /// <summary>The address the servers see from behind the router.</summary>
    public const string RouterPublicAddress = "198.51.100.2";

    /// <summary>Client on the internet segment itself: 198.51.100.5/24, no NAT.</summary>
    public static async Task<StunTopology> DirectAsync(NetnsWorld world)
    {
        var t = new StunTopology(world);
        t.Client = await world.AddNamespaceAsync("cli");
        t.Internet = await world.AddNamespaceAsync("net");
        t.ClientAddress = "198.51.100.5";
        await world.LinkAsync(t.Client, $"h{world.Tag}c", "198.51.100.5/24", t.Internet, $"h{world.Tag}i", "198.51.100.1/24");
        await world.ExecOkAsync(t.Client, "ip", "route", "add", "default", "via", "198.51.100.1");
        await t.StartServersAsync();
        return t;
    }

    /// <summary>Client 192.168.77.2/24 behind router (192.168.77.1 | 198.51.100.2) with no NAT rule yet.</summary>
    public static async Task<StunTopology> BehindRouterAsync(NetnsWorld world)
    {
        var t = new StunTopology(world);
        t.Client = await world.AddNamespaceAsync("cli");
        t.Router = await world.AddNamespaceAsync("nat");
        t.Internet = await world.AddNamespaceAsync("net");
        t.ClientAddress = "192.168.77.2";
        await world.LinkAsync(t.Client, $"h{world.Tag}c", "192.168.77.2/24", t.Router, $"h{world.Tag}l", "192.168.77.1/24");
        await world.LinkAsync(t.Router, t.RouterWan, $"{RouterPublicAddress}/24", t.Internet, $"h{world.Tag}i", "198.51.100.1/24");
        await world.ExecOkAsync(t.Client, "ip", "route", "add", "default", "via", "192.168.77.1");
        await world.ExecOkAsync(t.Router, "ip", "route", "add", "default", "via", "198.51.100.1");
        await world.EnableForwardingAsync(t.Router);
        await t.StartServersAsync();
        return t;
    }

    public Task<string> RouterIptablesAsync(params string[] args) =>
        World.ExecOkAsync(Router ?? throw new InvalidOperationException("no router in this topology"), ["iptables", .. args]);

    private async Task StartServersAsync()
    {
        // The internet namespace has no route to 192.168.77.0/24: answers reach the client only through the NAT.
        foreach (var address in new[] { ServerA, ServerB })
        {
            await World.ExecOkAsync(Internet, "ip", "addr", "add", $"{address}/32", "dev", "lo");
            _servers.Add(await CoturnStunServer.StartAsync(World, Internet, address, Port));
        }
    }

    public string ServerLogs => string.Join("\n---\n", _servers.Select(s => s.Log));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }
}
