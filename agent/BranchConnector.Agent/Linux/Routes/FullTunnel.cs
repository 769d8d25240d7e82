namespace BranchConnector.Agent.Linux.Routes;

/// <summary>The routes and rules of a full tunnel (allowed IPs 0.0.0.0/0), the wg-quick way.</summary>
public sealed record FullTunnelPlan(IReadOnlyList<DesiredRoute> Routes, IReadOnlyList<DesiredRule> Rules);

/// <summary>
/// wg-quick's recipe, never touching the main default route: the default route lives in its own table T;
/// `not fwmark M table T` sends everything except the tunnel's own (fwmark M) packets there, and
/// `table main suppress_prefixlength 0`, one priority earlier, still honours every more specific main route.
/// The WireGuard device must carry fwmark M, and net.ipv4.conf.all.src_valid_mark=1 keeps rp_filter happy.
/// </summary>
public static class FullTunnel
{
    /// <summary>wg-quick's defaults: table and fwmark both 51820 (0xca6c).</summary>
    public const int DefaultTable = 51820;
    public const uint DefaultFwmark = 51820;

    public static FullTunnelPlan Plan(string wgInterface, uint fwmark, int table, bool includeIpv6 = false)
    {
        var families = includeIpv6 ? new[] { IpFamily.V4, IpFamily.V6 } : [IpFamily.V4];
        var routes = families.Select(f => new DesiredRoute(f == IpFamily.V6 ? "::/0" : "0.0.0.0/0", null, wgInterface, null, table)).ToArray();
        var rules = families.SelectMany(f => new[]
        {
            new DesiredRule(RuleBand.FullTunnelSuppress, null, null, RoutingTables.Main, null, false, 0, f),
            new DesiredRule(RuleBand.FullTunnelFwmark, null, null, table, fwmark, true, null, f),
        }).ToArray();
        return new FullTunnelPlan(routes, rules);
    }
}
