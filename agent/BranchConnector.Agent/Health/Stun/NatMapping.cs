namespace BranchConnector.Agent.Health.Stun;

/// <summary>The `stun.nat_mapping` values of the Inform message.</summary>
public static class NatMapping
{
    /// <summary>The server saw our own address and port: no NAT on the path.</summary>
    public const string None = "none";

    /// <summary>The same public address and port towards every server (EIM): peer-to-peer friendly.</summary>
    public const string EndpointIndependent = "endpoint-independent";

    /// <summary>A different public mapping per destination: direct peering will mostly fail.</summary>
    public const string EndpointDependent = "endpoint-dependent";

    public const string Unknown = "unknown";
}
