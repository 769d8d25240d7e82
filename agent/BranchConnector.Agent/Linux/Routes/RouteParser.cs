using System.Globalization;
using System.Text.Json;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// Reads `ip -4|-6 -N -j route show table all proto 188`. One call per family because `ip` prints both
/// 0.0.0.0/0 and ::/0 as "default". Host routes come without "/32"; main-table routes without "table".
/// </summary>
public static class RouteParser
{
    /// <summary>The observe command for one family; -N keeps tables and protocols numeric.</summary>
    public static CommandRequest Request(IpFamily family) =>
        CommandRequest.Of("ip", family == IpFamily.V6 ? "-6" : "-4", "-N", "-j", "route", "show", "table", "all", "proto", "188");

    private static readonly HashSet<string> Modeled = ["dst", "gateway", "dev", "metric", "table", "protocol", "scope", "flags", "pref", "prefsrc", "expires"];

    public static IReadOnlyList<ObservedRoute> Parse(string ipJson, IpFamily family)
    {
        if (string.IsNullOrWhiteSpace(ipJson)) return [];
        using var doc = JsonDocument.Parse(ipJson);
        var routes = new List<ObservedRoute>();
        foreach (var r in doc.RootElement.EnumerateArray())
        {
            // Without a proto filter `ip` prints every route's protocol; with -N as a number, otherwise
            // by name, and iproute2 names 188 "ospf".
            var protocol = IpJson.String(r, "protocol");
            if (protocol is not null && protocol != "188" && protocol != "ospf") continue;

            var dst = IpJson.String(r, "dst") ?? throw new FormatException("route without dst");
            var unmodeled = r.EnumerateObject().Select(p => p.Name).Where(n => !Modeled.Contains(n)).ToArray();
            routes.Add(new ObservedRoute(
                IpText.Network(dst, family),
                IpJson.String(r, "gateway") is string gw ? IpText.Address(gw) : null,
                IpJson.String(r, "dev"),
                r.TryGetProperty("metric", out var metric) ? metric.GetInt32() : null,
                IpJson.String(r, "table") is string table ? RoutingTables.Parse(table) : RoutingTables.Main,
                RoutingTables.AgentProtocol.ToString(CultureInfo.InvariantCulture))
            {
                Unmodeled = unmodeled.Length == 0 ? null : string.Join(',', unmodeled),
            });
        }
        return routes;
    }
}
