namespace BranchConnector.Agent.Linux.Routes;

/// <summary>A policy rule in the agent's band (<see cref="RuleBand"/>) as the kernel holds it.</summary>
public sealed record ObservedRule(int Priority, string? From, string? To, int? Table, uint? Fwmark, bool Invert, int? SuppressPrefixLength, IpFamily Family)
{
    /// <summary>Selectors the agent never sets (iif, oif, fwmask, uidrange, goto, …), as JSON keys; such a rule never matches a desired one.</summary>
    public string? Unmodeled { get; init; }

    public DesiredRule AsDesired() => new(Priority, From, To, Table, Fwmark, Invert, SuppressPrefixLength, Family);
}
