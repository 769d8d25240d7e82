using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Routes;

/// <summary>
/// A route the agent wants (from `static`, the backbone's allowed IPs, the full tunnel, relayed peers).
/// Device null: the kernel picks it from the gateway, and any device matches. Metric null: the kernel default
/// (0 for IPv4, 1024 for IPv6).
/// </summary>
public sealed record DesiredRoute(string Destination, string? Gateway, string? Device, int? Metric, int Table)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }

    public static DesiredRoute From(StaticRoute route) => new(route.Destination, route.Gateway, route.Interface, route.Metric, route.Table);

    public IpFamily Family => IpText.FamilyOf(Destination);

    /// <summary>The same route in canonical text (destination host bits cleared, addresses normalised).</summary>
    public DesiredRoute Canonical() => this with
    {
        Destination = IpText.Network(Destination),
        Gateway = Gateway is null ? null : IpText.Address(Gateway),
    };

    internal RouteKey Key => new(Family, IpText.Network(Destination), Table, RouteKey.EffectiveMetric(Family, Metric));
}
