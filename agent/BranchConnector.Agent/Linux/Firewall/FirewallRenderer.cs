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
        return new DesiredFirewall(v4, v6);
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
        void Add(OwnChain chain, List<string> rules)
        {
            if (rules.Count > 0) chains.Add(new ChainRules(chain, rules.ToEquatableList()));
        }
        Add(OwnChain.Input, AclRenderer.Render(family, OwnChain.Input, intent.Acl, intent.Tunnels));
        Add(OwnChain.Forward, AclRenderer.Render(family, OwnChain.Forward, intent.Acl, intent.Tunnels));
        if (family == IpFamily.V4)
        {
            var (pre, post) = NatRenderer.Render(intent.Nat);
            Add(OwnChain.Prerouting, pre);
            Add(OwnChain.Postrouting, post);
        }
        Add(OwnChain.Mss, MssRenderer.Render(family, intent.Tunnels));
        if (intent.TunnelMark is { } mark && mark.Families.Contains(family))
        {
            Add(OwnChain.ConnmarkRestore, [ConnmarkRenderer.Restore(mark.Fwmark)]);
            Add(OwnChain.ConnmarkSave, [ConnmarkRenderer.Save(mark.Fwmark)]);
        }
        return new FamilyRuleset(family, chains.ToEquatableList());
    }
}
