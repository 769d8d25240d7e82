using System.Globalization;

namespace BranchConnector.Agent.Linux.Routes;

/// <summary>`ip -batch` lines for routes and rules. Every route line carries `proto 188` and an explicit table.</summary>
public static class RouteRenderer
{
    /// <summary>
    /// A new route is `route add`, so a foreign route already holding the same (destination, table, metric)
    /// makes the line fail instead of being silently taken over; a route of ours that changed is `route replace`.
    /// </summary>
    public static string Add(DesiredRoute route) => "route add " + Spec(route);

    public static string Replace(DesiredRoute route) => "route replace " + Spec(route);

    /// <summary>`proto 188` makes the kernel delete only our route, even if another one has the same key.</summary>
    public static string Delete(ObservedRoute route) =>
        $"route del {route.Destination} table {Num(route.Table)} metric {Num(route.Key.Metric)} proto {Num(RoutingTables.AgentProtocol)}";

    public static string AddRule(DesiredRule rule) => "rule add " + rule.Selector();

    public static string DeleteRule(DesiredRule rule) => "rule del " + rule.Selector();

    /// <summary>
    /// With both gateway and device given the route is `onlink`: a tunnel address is usually a /32, so the
    /// gateway is never inside a connected prefix and the kernel would refuse it ("Nexthop has invalid gateway").
    /// </summary>
    private static string Spec(DesiredRoute r)
    {
        var parts = new List<string> { r.Destination };
        if (r.Gateway is not null) parts.AddRange(["via", r.Gateway]);
        if (r.Device is not null) parts.AddRange(["dev", r.Device]);
        if (r.Gateway is not null && r.Device is not null) parts.Add("onlink");
        if (r.Metric is int metric) parts.AddRange(["metric", Num(metric)]);
        parts.AddRange(["table", Num(r.Table), "proto", Num(RoutingTables.AgentProtocol)]);
        return string.Join(' ', parts);
    }

    internal static string Describe(DesiredRoute r) => Describe(r.Destination, r.Gateway, r.Device, r.Table, r.Key.Metric);

    internal static string Describe(ObservedRoute r) => Describe(r.Destination, r.Gateway, r.Device, r.Table, r.Key.Metric);

    private static string Describe(string destination, string? gateway, string? device, int table, int metric) =>
        $"{destination}{(gateway is null ? "" : " via " + gateway)}{(device is null ? "" : " dev " + device)} table {Num(table)} metric {Num(metric)}";

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
