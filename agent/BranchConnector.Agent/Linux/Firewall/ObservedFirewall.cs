using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>A rule in a chain the agent does not own whose target is one of its chains, with its 1-based position.</summary>
public sealed record ObservedJump(OwnChain Target, string Chain, int Position, string Line);

/// <summary>The agent's objects in one family as iptables-save shows them; everything else is left unread.</summary>
public sealed record ObservedFamily(IpFamily Family, EquatableList<ChainRules> Chains, EquatableList<ObservedJump> Jumps)
{
    public static ObservedFamily Empty(IpFamily family) => new(family, [], []);

    public ChainRules? Find(OwnChain chain) => Chains.FirstOrDefault(c => c.Chain == chain);
    public IEnumerable<ObservedJump> JumpsInto(OwnChain chain) => Jumps.Where(j => j.Target == chain);
    public bool IsEmpty => Chains.Count == 0 && Jumps.Count == 0;
    public int RuleCount => Chains.Sum(c => c.Rules.Count);
}

public sealed record ObservedFirewall(ObservedFamily V4, ObservedFamily V6)
{
    public static readonly ObservedFirewall Empty = new(ObservedFamily.Empty(IpFamily.V4), ObservedFamily.Empty(IpFamily.V6));

    /// <summary>Why IPv6 could not be read (no IPv6 netfilter on this box), or null.</summary>
    public string? Ipv6Unavailable { get; init; }

    public ObservedFamily For(IpFamily family) => family == IpFamily.V4 ? V4 : V6;

    /// <summary>Rules in own chains (status "firewall_rules").</summary>
    public int RuleCount => V4.RuleCount + V6.RuleCount;
}
