namespace BranchConnector.Agent.Linux;

/// <summary>Address family of a route, rule or address. `ip` needs it for rules and for "default" routes.</summary>
public enum IpFamily { V4, V6 }
