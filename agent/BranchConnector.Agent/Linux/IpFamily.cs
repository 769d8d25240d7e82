namespace BranchConnector.Agent.Linux;

/// <summary>Address family of a route, rule, address or firewall rule set. `ip` needs it for rules and for "default" routes.</summary>
public enum IpFamily { V4, V6 }

public static class IpFamilyNames
{
    /// <summary>The word used in planned changes and logs ("ipv4", "ipv6").</summary>
    public static string Label(this IpFamily family) => family == IpFamily.V4 ? "ipv4" : "ipv6";
}
