using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// Turns a <see cref="FirewallIntent"/> into the rules of each own chain, per family. Pure. IPv6 is managed only
/// when the acl needs it: an IPv6-only rule, or any drop/reject (so blocking cannot be bypassed over IPv6), or when
/// the full tunnel carries ::/0 (its connmark chains).
/// </summary>
public static class FirewallRenderer
{
    public static DesiredFirewall Render(FirewallIntent intent)
    {
        var v4 = RenderFamily(IpFamily.V4, intent);
        var v6 = ManagesIpv6(intent) ? RenderFamily(IpFamily.V6, intent) : new FamilyRuleset(IpFamily.V6, []);
        return new DesiredFirewall(v4, v6) { Origins = intent.Origins };
    }

    public static bool ManagesIpv6(FirewallIntent intent)
    {
        if (intent.TunnelMark?.Families.Contains(IpFamily.V6) == true) return true;
        var acl = intent.Acl;
        if (acl.Rules.Any(r => AclRenderer.PinnedFamily(r) == IpFamily.V6)) return true;
        if (acl.Rules.Any(r => r.Action != AclAction.Accept && AclRenderer.PinnedFamily(r) is null)) return true;
        return intent.Tunnels.Count > 0 && (acl.ForwardPolicy != AclAction.Accept || acl.InputPolicy != AclAction.Accept);
    }

    private static FamilyRuleset RenderFamily(IpFamily family, FirewallIntent intent)
    {
        var chains = new List<ChainRules>();
        void Add(OwnChain chain, List<string> rules, IEnumerable<Origin?> origins)
        {
            if (rules.Count > 0) chains.Add(new ChainRules(chain, rules.ToEquatableList()) { RuleOrigins = origins.ToEquatableList() });
        }
        void AddFrom(OwnChain chain, List<string> rules) => Add(chain, rules, rules.Select(_ => intent.Origins.For(chain)));
        AddFrom(OwnChain.Input, AclRenderer.Render(family, OwnChain.Input, intent.Acl, intent.Tunnels));
        AddFrom(OwnChain.Forward, AclRenderer.Render(family, OwnChain.Forward, intent.Acl, intent.Tunnels));
        if (family == IpFamily.V4)
        {
            var (pre, post) = NatRenderer.Render(intent.Nat);
            AddFrom(OwnChain.Prerouting, pre);
            AddFrom(OwnChain.Postrouting, post);
        }
        // Each tunnel's clamping rules belong to the document part that asked for the tunnel.
        var mss = intent.Tunnels.Select(t => (Rules: MssRenderer.Render(family, [t]), t.Origin)).ToList();
        Add(OwnChain.Mss, [.. mss.SelectMany(m => m.Rules)], mss.SelectMany(m => m.Rules.Select(_ => m.Origin)));
        if (intent.TunnelMark is { } mark && mark.Families.Contains(family))
        {
            AddFrom(OwnChain.ConnmarkRestore, [ConnmarkRenderer.Restore(mark.Fwmark)]);
            AddFrom(OwnChain.ConnmarkSave, [ConnmarkRenderer.Save(mark.Fwmark)]);
        }
        return new FamilyRuleset(family, chains.ToEquatableList());
    }
}
