using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// Compares one family's desired own chains with the observed ones: rule-level changes for the counts, and
/// which chains to refill, which jumps to repair and which chains to remove for the restore input.
/// </summary>
internal sealed record FamilyDiff(
    IpFamily Family,
    IReadOnlyList<ChainRules> Desired,
    IReadOnlyList<OwnChain> JumpRepairs,
    IReadOnlyList<OwnChain> Removed,
    IReadOnlyList<PlannedChange> Changes,
    int Unchanged)
{
    public bool NeedsRestore => Changes.Count > 0;

    public static FamilyDiff Compute(FamilyRuleset desired, ObservedFamily observed, FirewallOrigins origins)
    {
        var family = desired.Family;
        var changes = new List<PlannedChange>();
        var repairs = new List<OwnChain>();
        var removed = new List<OwnChain>();
        var unchanged = 0;

        foreach (var want in desired.Chains)
        {
            var have = observed.Find(want.Chain);
            var before = changes.Count;
            // Multiset difference: a rule present twice but wanted once is one removal.
            var extra = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var rule in have?.Rules ?? []) extra[rule] = extra.GetValueOrDefault(rule) + 1;
            var chainOrigin = want.RuleOrigins.FirstOrDefault(o => o is not null) ?? origins.For(want.Chain);
            for (var i = 0; i < want.Rules.Count; i++)
            {
                var rule = want.Rules[i];
                if (extra.GetValueOrDefault(rule) > 0) { extra[rule]--; unchanged++; }
                else changes.Add(Change(ChangeKind.Added, family, want.Chain, rule, want.OriginOf(i)));
            }
            foreach (var rule in (have?.Rules ?? []).Where(r => extra.GetValueOrDefault(r) > 0))
            {
                extra[rule]--;
                changes.Add(Change(ChangeKind.Removed, family, want.Chain, rule, chainOrigin));
            }
            if (changes.Count == before && have is not null && !have.Rules.SequenceEqual(want.Rules))
                changes.Add(Change(ChangeKind.Changed, family, want.Chain, $"rule order of {want.Chain.Name}", chainOrigin));

            var jumps = observed.JumpsInto(want.Chain).ToList();
            if (jumps is [{ Position: 1 } only] && only.Chain == want.Chain.Hook && only.Line == want.Chain.JumpLine) continue;
            repairs.Add(want.Chain);
            changes.Add(Change(jumps.Count == 0 ? ChangeKind.Added : ChangeKind.Changed, family, want.Chain, "jump " + want.Chain.JumpLine, chainOrigin));
        }

        foreach (var chain in OwnChain.All.Where(c => desired.Find(c) is null))
        {
            var have = observed.Find(chain);
            var jumps = observed.JumpsInto(chain).ToList();
            if (have is null && jumps.Count == 0) continue;
            removed.Add(chain);
            // A chain no longer wanted at all: its removal belongs to the part that owned the chain.
            var owner = origins.For(chain);
            changes.AddRange(jumps.Select(j => Change(ChangeKind.Removed, family, chain, "jump " + j.Line, owner)));
            changes.AddRange((have?.Rules ?? []).Select(rule => Change(ChangeKind.Removed, family, chain, rule, owner)));
            if (have is not null && have.Rules.Count == 0 && jumps.Count == 0)
                changes.Add(Change(ChangeKind.Removed, family, chain, "chain " + chain.Name, owner));
        }

        return new FamilyDiff(family, desired.Chains, repairs, removed, changes, unchanged);
    }

    private static PlannedChange Change(ChangeKind kind, IpFamily family, OwnChain chain, string what, Origin? origin) =>
        new(kind, "firewall", $"{family.Label()} {chain.Table} {what}") { Origin = origin };
}
