using System.Diagnostics;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Firewall;

/// <summary>
/// hub ── (tunnel-like veth) ── router ── lan. The router's hub-facing interface plays the agent's tunnel
/// interface; the agent's firewall runs in the router namespace. Listeners are busybox nc servers.
/// </summary>
internal sealed class TrafficWorld : IAsyncDisposable
{
    public const string HubAddress = "10.255.0.1";
    public const string RouterAddress = "10.255.0.2";
    public const string LanHost = "192.168.77.5";
    public const string LanSubnet = "192.168.77.0/24";

    private readonly NetnsWorld _world = new();
    private readonly List<Process> _listeners = [];

    public string Hub { get; private set; } = "";
    public string Router { get; private set; } = "";
    public string Lan { get; private set; } = "";
    public string Tunnel => "t" + _world.Tag;
    public NetnsWorld Netns => _world;

    public static async Task<TrafficWorld> CreateAsync(bool hubRoutesToLan = true)
    {
        var w = new TrafficWorld();
        try
        {
            w.Hub = await w._world.AddNamespaceAsync("hub");
            w.Router = await w._world.AddNamespaceAsync("rtr");
            w.Lan = await w._world.AddNamespaceAsync("lan");
            var tag = w._world.Tag;
            await w._world.LinkAsync(w.Hub, "h" + tag, HubAddress + "/30", w.Router, w.Tunnel, RouterAddress + "/30");
            await w._world.LinkAsync(w.Router, "l" + tag, "192.168.77.1/24", w.Lan, "x" + tag, LanHost + "/24");
            await w._world.EnableForwardingAsync(w.Router);
            await w._world.ExecOkAsync(w.Lan, "ip", "route", "add", "default", "via", "192.168.77.1");
            if (hubRoutesToLan) await w._world.ExecOkAsync(w.Hub, "ip", "route", "add", LanSubnet, "via", RouterAddress);
            return w;
        }
        catch
        {
            await w.DisposeAsync();
            throw;
        }
    }

    /// <summary>A TCP server in <paramref name="ns"/> answering "served" to every connection, ready when this returns.</summary>
    public async Task ListenAsync(string ns, int port)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "netns", "exec", ns, "busybox", "nc", "-ll", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-e", "/bin/echo", "served" })
            psi.ArgumentList.Add(a);
        _listeners.Add(Process.Start(psi)!);
        for (var i = 0; i < 50; i++)
        {
            if (await ConnectsAsync(ns, "127.0.0.1", port)) return;
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"listener on {ns}:{port} did not start");
    }

    /// <summary>Whether a TCP connection from <paramref name="ns"/> reaches a listener (2 s connect timeout).</summary>
    public async Task<bool> ConnectsAsync(string ns, string address, int port)
    {
        var r = await _world.ExecAsync(ns, "busybox", "nc", "-w", "2", address, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return r.Succeeded && r.Stdout.Contains("served", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _listeners)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await p.WaitForExitAsync();
            p.Dispose();
        }
        await _world.DisposeAsync();
    }
}
