using System.Security.Cryptography;
using BranchConnector.Agent.Tools;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>
/// A throwaway set of network namespaces with veth links. Names carry a random tag so parallel tests never
/// collide; DisposeAsync kills every process left in them and deletes them, so a failing test leaves nothing.
/// </summary>
public sealed class NetnsWorld : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<string> _wgSockets = [];

    /// <summary>Four hex characters unique to this world: keep interface names within 15 bytes.</summary>
    public string Tag { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();

    public IReadOnlyList<string> Namespaces => _namespaces;

    /// <summary>Creates namespace "bc{tag}-{role}" with loopback up.</summary>
    public async Task<string> AddNamespaceAsync(string role)
    {
        var name = $"bc{Tag}-{role}";
        await Sh.OkAsync("ip", "netns", "add", name);
        _namespaces.Add(name);
        await ExecOkAsync(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /// <summary>A veth pair between two namespaces, each end with an address (CIDR form) and up.</summary>
    public async Task LinkAsync(string nsA, string ifA, string addrA, string nsB, string ifB, string addrB)
    {
        await Sh.OkAsync("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        await ExecOkAsync(nsA, "ip", "addr", "add", addrA, "dev", ifA);
        await ExecOkAsync(nsB, "ip", "addr", "add", addrB, "dev", ifB);
        await ExecOkAsync(nsA, "ip", "link", "set", ifA, "up");
        await ExecOkAsync(nsB, "ip", "link", "set", ifB, "up");
    }

    public Task<CommandResult> ExecAsync(string ns, params string[] command) =>
        Sh.RunAsync("ip", ["netns", "exec", ns, .. command]);

    public async Task<string> ExecOkAsync(string ns, params string[] command)
    {
        var r = await ExecAsync(ns, command);
        if (!r.Succeeded) throw new InvalidOperationException($"in {ns}: {r.Describe()}");
        return r.Stdout;
    }

    public Task EnableForwardingAsync(string ns) => ExecOkAsync(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");

    /// <summary>wireguard-go's control sockets live in one /var/run/wireguard shared by all namespaces: remember to remove ours.</summary>
    public void TrackWireGuardInterface(string name) => _wgSockets.Add($"/var/run/wireguard/{name}.sock");

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in _namespaces)
        {
            var pids = await Sh.RunAsync("ip", "netns", "pids", ns);
            foreach (var pid in pids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                await Sh.RunAsync("kill", "-9", pid);
        }
        foreach (var ns in _namespaces) await Sh.RunAsync("ip", "netns", "del", ns);
        foreach (var sock in _wgSockets) { try { File.Delete(sock); } catch (IOException) { } }
    }
}
