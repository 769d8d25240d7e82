using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Routes;

namespace BranchConnector.Tests.Routes;

/// <summary>Real `ip -j route show` output captured by golden/capture-ip-json.sh (iproute2 6.1).</summary>
public class RouteParserTests
{
    public static IReadOnlyList<ObservedRoute> CapturedRoutes() =>
        [.. RouteParser.Parse(GoldenText.Read("route-v4.json"), IpFamily.V4), .. RouteParser.Parse(GoldenText.Read("route-v6.json"), IpFamily.V6)];

    [Fact]
    public void Parses_v4_routes_with_default_host_metric_and_tables_canonicalised()
    {
        var routes = RouteParser.Parse(GoldenText.Read("route-v4.json"), IpFamily.V4);
        Assert.Equal(
        [
            new ObservedRoute("0.0.0.0/0", "192.0.2.254", "wan0", 10, 100, "188"),
            new ObservedRoute("0.0.0.0/0", null, "tun0", null, 51820, "188"),
            new ObservedRoute("10.20.0.0/16", "192.0.2.1", "wan0", 100, 254, "188"),
            new ObservedRoute("10.21.0.0/16", null, "lan0", null, 254, "188"),
            new ObservedRoute("10.22.0.7/32", "192.0.2.1", "wan0", null, 254, "188"),
            new ObservedRoute("10.30.0.0/16", "10.255.0.1", "tun0", null, 254, "188"),
        ], routes);
        Assert.All(routes, r => Assert.Null(r.Unmodeled));
    }

    [Fact]
    public void Parses_v6_default_as_slash_zero_and_host_as_slash_128()
    {
        var routes = RouteParser.Parse(GoldenText.Read("route-v6.json"), IpFamily.V6);
        Assert.Equal(
        [
            new ObservedRoute("::/0", null, "tun0", 1024, 51820, "188"),
            new ObservedRoute("2001:db8:20::/48", "2001:db8::1", "wan0", 300, 254, "188"),
            new ObservedRoute("2001:db8:21::7/128", null, "lan0", 1024, 254, "188"),
        ], routes);
    }

    [Fact]
    public void Table_names_printed_without_dash_N_parse_to_the_same_routes()
    {
        Assert.Equal(RouteParser.Parse(GoldenText.Read("route-v4.json"), IpFamily.V4), RouteParser.Parse(GoldenText.Read("route-v4-names.json"), IpFamily.V4));
    }

    [Fact]
    public void Routes_of_other_protocols_are_dropped_even_from_unfiltered_output()
    {
        var routes = RouteParser.Parse(GoldenText.Read("route-v4-all-protocols.json"), IpFamily.V4);
        Assert.Equal(RouteParser.Parse(GoldenText.Read("route-v4.json"), IpFamily.V4), routes);
        Assert.DoesNotContain(routes, r => r.Destination is "10.99.0.0/16" or "10.98.0.0/16" or "192.0.2.0/24");
    }

    [Fact]
    public void Empty_output_is_no_routes()
    {
        Assert.Empty(RouteParser.Parse("[]", IpFamily.V4));
        Assert.Empty(RouteParser.Parse("", IpFamily.V6));
    }

    [Fact]
    public void A_multipath_route_is_flagged_as_unmodeled()
    {
        var routes = RouteParser.Parse("""[{"dst":"10.5.0.0/16","nexthops":[{"gateway":"192.0.2.1","dev":"a"},{"gateway":"192.0.2.2","dev":"a"}],"flags":[]}]""", IpFamily.V4);
        Assert.Equal("nexthops", Assert.Single(routes).Unmodeled);
    }

    [Fact]
    public void Observe_commands_are_per_family_numeric_and_filtered_to_proto_188()
    {
        Assert.Equal("ip -4 -N -j route show table all proto 188", RouteParser.Request(IpFamily.V4).CommandLine);
        Assert.Equal("ip -6 -N -j route show table all proto 188", RouteParser.Request(IpFamily.V6).CommandLine);
        Assert.False(RouteParser.Request(IpFamily.V4).Mutates);
    }
}
