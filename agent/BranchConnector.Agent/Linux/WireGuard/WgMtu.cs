using System.Net;
using System.Text.Json;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>wg-quick's MTU rule: the MTU of the route towards the endpoint, minus 80 (IPv6 + UDP + WireGuard overhead).</summary>
public static class WgMtu
{
    public const int Overhead = 80;
    public const int Fallback = 1420;

    public static async Task<int> ForEndpointAsync(ICommandRunner runner, IPAddress? endpointAddress, CancellationToken ct)
    {
        string? device = null;
        if (endpointAddress is not null)
        {
            var get = await runner.RunAsync(CommandRequest.Of("ip", "-j", "route", "get", endpointAddress.ToString()), ct).ConfigureAwait(false);
            if (get.Succeeded) device = FirstString(get.Stdout, "dev");
        }
        if (device is null)
        {
            var def = await runner.RunAsync(CommandRequest.Of("ip", "-j", "route", "show", "default"), ct).ConfigureAwait(false);
            if (def.Succeeded) device = FirstString(def.Stdout, "dev");
        }
        if (device is null) return Fallback;
        var link = await runner.RunAsync(CommandRequest.Of("ip", "-j", "link", "show", "dev", device), ct).ConfigureAwait(false);
        if (!link.Succeeded) return Fallback;
        using var doc = JsonDocument.Parse(link.Stdout);
        foreach (var l in doc.RootElement.EnumerateArray())
            if (l.TryGetProperty("mtu", out var mtu) && mtu.TryGetInt32(out var value))
                return Math.Max(1280, value - Overhead);
        return Fallback;
    }

    private static string? FirstString(string json, string property)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var e in doc.RootElement.EnumerateArray())
            if (IpJson.String(e, property) is { } value) return value;
        return null;
    }
}
