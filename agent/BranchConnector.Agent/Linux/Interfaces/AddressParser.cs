using System.Globalization;
using System.Text.Json;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>Reads `ip -j -d addr show` (all links, with linkinfo for the kind).</summary>
public static class AddressParser
{
    public static readonly CommandRequest Request = CommandRequest.Of("ip", "-j", "-d", "addr", "show");

    public static IReadOnlyList<ObservedLink> Parse(string ipJsonAddr)
    {
        if (string.IsNullOrWhiteSpace(ipJsonAddr)) return [];
        using var doc = JsonDocument.Parse(ipJsonAddr);
        var links = new List<ObservedLink>();
        foreach (var l in doc.RootElement.EnumerateArray())
        {
            // `ip addr show` on a link that vanished mid-dump prints an object without ifname: skip it.
            if (!l.TryGetProperty("ifname", out var name)) continue;
            var flags = l.TryGetProperty("flags", out var f) ? f.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
            var kind = l.TryGetProperty("linkinfo", out var info) && info.TryGetProperty("info_kind", out var k) ? k.GetString() : null;
            var addresses = l.TryGetProperty("addr_info", out var ai)
                ? ai.EnumerateArray()
                    .Where(a => a.TryGetProperty("local", out _))
                    .Select(a => IpText.InterfaceCidr($"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32().ToString(CultureInfo.InvariantCulture)}"))
                    .ToEquatableList()
                : EquatableList<string>.Empty;
            links.Add(new ObservedLink(
                name.GetString()!,
                l.GetProperty("ifindex").GetInt32(),
                l.TryGetProperty("mtu", out var mtu) ? mtu.GetInt32() : 0,
                flags.Contains("UP"),
                kind,
                addresses));
        }
        return links;
    }
}
