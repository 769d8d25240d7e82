using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// Renders the acl topic into BC-FORWARD and BC-INPUT for one family. Layout of each chain:
/// established/related accept per tunnel (only when the chain can drop or reject), the acl rules in order,
/// then the policy (accept too) as a final rule per tunnel interface. Built-in chain policies are never touched.
/// </summary>
internal static class AclRenderer
{
    private const string Established = "-m conntrack --ctstate RELATED,ESTABLISHED";

    public static List<string> Render(IpFamily family, OwnChain chain, AclSpec acl, IReadOnlyList<TunnelInterface> tunnels)
    {
        var aclChain = chain == OwnChain.Forward ? AclChain.Forward : AclChain.Input;
        var policy = aclChain == AclChain.Forward ? acl.ForwardPolicy : acl.InputPolicy;
        var rules = acl.Rules.Where(r => r.Chain == aclChain && AppliesTo(r, family)).ToList();

        var lines = new List<string>();
        // The policy is the final word on tunnel traffic, accept included: on a box whose own chain ends in DROP
        // (Docker sets FORWARD to DROP, hardened hosts end INPUT with DROP) an "accept" that merely fell through
        // to the built-in chain would silently cut the tunnel the orchestrator asked to accept.
        var policyApplies = tunnels.Count > 0;
        if ((policy != AclAction.Accept && tunnels.Count > 0) || rules.Any(r => r.Action != AclAction.Accept))
        {
            foreach (var tunnel in tunnels)
            {
                lines.Add(new RuleText(chain).In(tunnel.Name).Match(Established).Jump("ACCEPT"));
                if (aclChain == AclChain.Forward) lines.Add(new RuleText(chain).Out(tunnel.Name).Match(Established).Jump("ACCEPT"));
            }
        }
        foreach (var rule in rules) lines.AddRange(RenderRule(family, chain, rule));
        if (policyApplies)
        {
            foreach (var tunnel in tunnels)
            {
                lines.AddRange(Verdict(family, new RuleText(chain).In(tunnel.Name), null, policy, () => new RuleText(chain).In(tunnel.Name)));
                if (aclChain == AclChain.Forward)
                    lines.AddRange(Verdict(family, new RuleText(chain).Out(tunnel.Name), null, policy, () => new RuleText(chain).Out(tunnel.Name)));
            }
        }
        return lines;
    }

    /// <summary>Whether the rule belongs in this family: addresses and icmp flavours pin a family, others go to both.</summary>
    public static bool AppliesTo(AclRule rule, IpFamily family) => PinnedFamily(rule) is not { } pinned || pinned == family;

    public static IpFamily? PinnedFamily(AclRule rule)
    {
        var families = new[] { RuleText.FamilyOf(rule.Source), RuleText.FamilyOf(rule.Destination), RuleText.FamilyOfProtocol(RuleText.NormalizeProtocol(rule.Protocol)) }
            .Where(f => f is not null).Distinct().ToList();
        if (families.Count > 1) throw new ArgumentException($"acl rule '{rule.Name}' mixes IPv4 and IPv6");
        return families.Count == 0 ? null : families[0];
    }

    private static IEnumerable<string> RenderRule(IpFamily family, OwnChain chain, AclRule rule)
    {
        var protocol = RuleText.NormalizeProtocol(rule.Protocol);
        if (protocol is null && (rule.SourcePorts is not null || rule.DestinationPorts is not null))
            throw new ArgumentException($"acl rule '{rule.Name}' has ports without a protocol");
        RuleText Build()
        {
            var text = new RuleText(chain).Source(rule.Source).Destination(rule.Destination)
                .In(rule.InInterface).Out(rule.OutInterface).Protocol(protocol);
            if (rule.SourcePorts is not null) text.Match($"-m multiport --sports {rule.SourcePorts}");
            if (rule.DestinationPorts is not null) text.Match($"-m multiport --dports {rule.DestinationPorts}");
            return text;
        }
        return Verdict(family, Build(), protocol, rule.Action, Build);
    }

    /// <summary>
    /// The target for an action. Reject answers TCP with a reset and everything else with port-unreachable; a
    /// rule without a protocol gets a TCP reset rule first, so TCP clients fail fast either way.
    /// </summary>
    private static IEnumerable<string> Verdict(IpFamily family, RuleText text, string? protocol, AclAction action, Func<RuleText> again)
    {
        var unreachable = family == IpFamily.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable";
        switch (action)
        {
            case AclAction.Accept: return [text.Jump("ACCEPT")];
            case AclAction.Drop: return [text.Jump("DROP")];
            case AclAction.Reject when protocol == "tcp": return [text.Jump("REJECT --reject-with tcp-reset")];
            case AclAction.Reject when protocol is null:
                return [again().Protocol("tcp").Jump("REJECT --reject-with tcp-reset"), text.Jump("REJECT --reject-with " + unreachable)];
            default: return [text.Jump("REJECT --reject-with " + unreachable)];
        }
    }
}
