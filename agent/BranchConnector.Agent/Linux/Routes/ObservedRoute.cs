namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// A `proto 188` route as the kernel holds it. Destination is canonical CIDR ("0.0.0.0/0", "10.3.0.5/32"),
/// Metric as printed (null: none printed, which is 0 for IPv4), Table numeric.
/// </summary>
public sealed record ObservedRoute(string Destination, string? Gateway, string? Device, int? Metric, int Table, string Protocol)
{
    public IpFamily Family => IpText.FamilyOf(Destination);

    /// <summary>Set by the parser for attributes the agent never installs (nexthops, a route type other than unicast).</summary>
    public string? Unmodeled { get; init; }

    internal RouteKey Key => new(Family, Destination, Table, RouteKey.EffectiveMetric(Family, Metric));
}
