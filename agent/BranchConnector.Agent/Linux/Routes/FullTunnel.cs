namespace BranchConnector.Agent.Linux.Routes;

/// <summary>The routes, rules and settings of a full tunnel (allowed IPs 0.0.0.0/0 and/or ::/0), the wg-quick way.</summary>
public sealed record FullTunnelPlan(IReadOnlyList<DesiredRoute> Routes, IReadOnlyList<DesiredRule> Rules, IReadOnlyList<DesiredSysctl> Sysctls)
{
    /// <summary>The families whose default route goes through the tunnel (the connmark rules are written for these).</summary>
    public IReadOnlyList<IpFamily> Families => Routes.Select(r => r.Family).Distinct().ToList();
}

/// <summary>
/// wg-quick's recipe, never touching the main default route: the default route lives in its own table T;
/// `not fwmark M table T` sends everything except the tunnel's own (fwmark M) packets there, and
/// `table main suppress_prefixlength 0`, one priority earlier, still honours every more specific main route.
/// The WireGuard device carries fwmark M. For strict reverse-path filtering (rp_filter=1) the reverse lookup of
/// a reply must see the mark too: net.ipv4.conf.all.src_valid_mark=1 (IPv4; IPv6 has no rp_filter sysctl) and
/// the mark saved to and restored from conntrack (Linux/Firewall/ConnmarkRenderer, both families).
/// </summary>
public static class FullTunnel
{
    /// <summary>wg-quick's defaults: table and fwmark both 51820 (0xca6c).</summary>
    public const int DefaultTable = 51820;
    public const uint DefaultFwmark = 51820;

    /// <summary>Lets the IPv4 reverse-path check use the packet's mark, as wg-quick sets it.</summary>
    public static readonly DesiredSysctl SrcValidMark = new("net.ipv4.conf.all.src_valid_mark", "1");

    public static bool IsDefaultRoute(string cidr) => cidr is "0.0.0.0/0" or "::/0";

    /// <summary>The full tunnel for the default routes among <paramref name="allowedIps"/>; null when there is none.</summary>
    public static FullTunnelPlan? For(string wgInterface, IEnumerable<string> allowedIps, uint fwmark = DefaultFwmark, int table = DefaultTable)
    {
        var defaults = allowedIps.Where(IsDefaultRoute).ToHashSet(StringComparer.Ordinal);
        if (defaults.Count == 0) return null;
        return Plan(wgInterface, fwmark, table, includeIpv4: defaults.Contains("0.0.0.0/0"), includeIpv6: defaults.Contains("::/0"));
    }

    public static FullTunnelPlan Plan(string wgInterface, uint fwmark, int table, bool includeIpv6 = false, bool includeIpv4 = true)
    {
        var families = new[] { (IpFamily.V4, includeIpv4), (IpFamily.V6, includeIpv6) }.Where(f => f.Item2).Select(f => f.Item1).ToArray();
        var routes = families.Select(f => new DesiredRoute(f == IpFamily.V6 ? "::/0" : "0.0.0.0/0", null, wgInterface, null, table)).ToArray();
        var rules = families.SelectMany(f => new[]
        {
            new DesiredRule(RuleBand.FullTunnelSuppress, null, null, RoutingTables.Main, null, false, 0, f),
            new DesiredRule(RuleBand.FullTunnelFwmark, null, null, table, fwmark, true, null, f),
        }).ToArray();
        return new FullTunnelPlan(routes, rules, includeIpv4 ? [SrcValidMark] : []);
    }
}
