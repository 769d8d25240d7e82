using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>The rules of one own chain, each a full line in iptables-save form ("-A BC-FORWARD -o wg0 -j DROP").</summary>
public sealed record ChainRules(OwnChain Chain, EquatableList<string> Rules)
{
    /// <summary>Desired chains: the origin of each rule, index for index with <see cref="Rules"/> (empty for observed chains).</summary>
    public EquatableList<Origin?> RuleOrigins { get; init; } = [];

    public Origin? OriginOf(int rule) => rule < RuleOrigins.Count ? RuleOrigins[rule] : null;

    /// <summary>The kernel object is the chain and its rules: where they came from is not compared (observed chains have none).</summary>
    public bool Equals(ChainRules? other) => other is not null && Chain == other.Chain && Rules.Equals(other.Rules);

    public override int GetHashCode() => HashCode.Combine(Chain, Rules);
}

/// <summary>The desired own chains of one family. A chain without rules is not listed (and is removed if present).</summary>
public sealed record FamilyRuleset(IpFamily Family, EquatableList<ChainRules> Chains)
{
    public ChainRules? Find(OwnChain chain) => Chains.FirstOrDefault(c => c.Chain == chain);
    public int RuleCount => Chains.Sum(c => c.Rules.Count);
}

/// <summary>What the renderer produces for both families.</summary>
public sealed record DesiredFirewall(FamilyRuleset V4, FamilyRuleset V6)
{
    /// <summary>Whom a change to a chain as a whole (jump, order, removal) belongs to.</summary>
    public FirewallOrigins Origins { get; init; } = FirewallOrigins.None;

    public FamilyRuleset For(IpFamily family) => family == IpFamily.V4 ? V4 : V6;
}
