using System.Globalization;
using System.Net;
using System.Text.Json;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Doctor;

/// <summary>The link MTU on the route to the hub must carry the tunnel MTU plus WireGuard's 80 bytes of overhead.</summary>
public sealed class PathMtuCheck(ICommandRunner runner, string? hubAddress, int? tunnelMtu) : IDoctorCheck
{
    public const string Name = "path mtu";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct)
    {
        if (hubAddress is null) return [CheckResult.Ok(Name, "no hub endpoint configured")];
        var route = await runner.RunAsync(CommandRequest.Of("ip", "-j", "route", "get", hubAddress), ct).ConfigureAwait(false);
        if (!route.Succeeded || FirstString(route.Stdout, "dev") is not { } dev)
            return [CheckResult.Fail(Name, $"no route to the hub {hubAddress}", "add a default route (or a route to the hub) on the WAN interface")];
        var link = await runner.RunAsync(CommandRequest.Of("ip", "-j", "link", "show", "dev", dev), ct).ConfigureAwait(false);
        if (!link.Succeeded || FirstInt(link.Stdout, "mtu") is not { } linkMtu)
            return [CheckResult.Warn(Name, $"cannot read the MTU of {dev}", "check `ip link show " + dev + "` by hand")];
        return [Verdict(hubAddress, dev, linkMtu, tunnelMtu)];
    }

    public static CheckResult Verdict(string hub, string dev, int linkMtu, int? tunnelMtu)
    {
        var tunnel = tunnelMtu ?? linkMtu - WgMtu.Overhead;
        var text = string.Create(CultureInfo.InvariantCulture, $"to {hub} via {dev}: link {linkMtu}, tunnel {tunnel} + {WgMtu.Overhead}");
        return tunnel + WgMtu.Overhead <= linkMtu
            ? CheckResult.Ok(Name, text)
            : CheckResult.Warn(Name, text + string.Create(CultureInfo.InvariantCulture, $" > {linkMtu}"),
                string.Create(CultureInfo.InvariantCulture, $"tunnel packets will fragment: ask the controller for a tunnel MTU of at most {linkMtu - WgMtu.Overhead}"));
    }

    /// <summary>The hub endpoint as an address `ip route get` accepts (names are resolved once).</summary>
    public static async Task<string?> ResolveAsync(string? host, CancellationToken ct)
    {
        if (host is null || IPAddress.TryParse(host, out _)) return host;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            return addresses.Length == 0 ? host : addresses[0].ToString();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return host;
        }
    }

    private static string? FirstString(string json, string name)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var e in doc.RootElement.EnumerateArray())
            if (e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString();
        return null;
    }

    private static int? FirstInt(string json, string name)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var e in doc.RootElement.EnumerateArray())
            if (e.TryGetProperty(name, out var v) && v.TryGetInt32(out var i)) return i;
        return null;
    }
}
