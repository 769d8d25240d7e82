using System.Globalization;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>Renders nat44 (IPv4 only): masquerade and snat into BC-POSTROUTING, dnat into BC-PREROUTING.</summary>
internal static class NatRenderer
{
    public static (List<string> Prerouting, List<string> Postrouting) Render(IReadOnlyList<NatRule> rules)
    {
        var pre = new List<string>();
        var post = new List<string>();
        foreach (var rule in rules)
        {
            if (rule.Type == NatType.Dnat) pre.Add(Dnat(rule));
            else post.Add(SourceNat(rule));
        }
        return (pre, post);
    }

    private static string SourceNat(NatRule rule)
    {
        if (rule.InInterface is not null) throw new ArgumentException($"{rule.Type} rule cannot match an input interface (POSTROUTING)");
        var text = Common(new RuleText(OwnChain.Postrouting), rule).Out(rule.OutInterface);
        WithPort(text, rule);
        if (rule.Type == NatType.Masquerade) return text.Jump("MASQUERADE");
        var to = rule.ToAddress ?? throw new ArgumentException("snat rule needs to_address");
        return text.Jump("SNAT --to-source " + to);
    }

    private static string Dnat(NatRule rule)
    {
        if (rule.OutInterface is not null) throw new ArgumentException("dnat rule cannot match an output interface (PREROUTING)");
        var text = Common(new RuleText(OwnChain.Prerouting), rule).In(rule.InInterface);
        WithPort(text, rule);
        var to = rule.To?.ToString() ?? rule.ToAddress ?? throw new ArgumentException("dnat rule needs a target (to or to_address)");
        return text.Jump("DNAT --to-destination " + to);
    }

    private static RuleText Common(RuleText text, NatRule rule) => text.Source(rule.Source).Destination(rule.Destination);

    /// <summary>A port without a protocol means TCP (the spec's dnat example); iptables-save shows "-p tcp -m tcp --dport N".</summary>
    private static void WithPort(RuleText text, NatRule rule)
    {
        var protocol = RuleText.NormalizeProtocol(rule.Protocol) ?? (rule.DestinationPort is null ? null : "tcp");
        text.Protocol(protocol);
        if (rule.DestinationPort is { } port)
            text.Match($"-m {protocol} --dport {port.ToString(CultureInfo.InvariantCulture)}");
    }
}
