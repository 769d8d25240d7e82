using System.Text.RegularExpressions;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>
/// `acl`: policies and filter rules for traffic through agent-managed tunnels. IPv4 (iptables) only.
/// Port lists become iptables multiport text and are allowed only with tcp or udp.
/// </summary>
internal sealed partial class AclTopic : IBatchTopic
{
    public const string Name = "acl";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex RuleName();

    public static AclSpec Read(ObjectReader body)
    {
        var forward = Action(body.Choice("forward_policy", false, "accept", "drop", "reject")) ?? AclAction.Accept;
        var input = Action(body.Choice("input_policy", false, "accept", "drop", "reject")) ?? AclAction.Accept;
        var rules = new List<AclRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in body.Objects("rules"))
        {
            var name = rule.String("name", required: true);
            if (name is not null && !RuleName().IsMatch(name))
                rule.Errors.Invalid(rule.PathOf("name"), $"rule name '{Printable.Clip(name)}' must be 1 to 64 of A-Z a-z 0-9 _ . -");
            else if (name is not null && !names.Add(name))
                rule.Errors.Invalid(rule.PathOf("name"), $"rule name '{name}' is used twice");
            var chain = rule.Choice("chain", true, "forward", "input") switch
            {
                "forward" => AclChain.Forward,
                "input" => AclChain.Input,
                _ => (AclChain?)null,
            };
            var action = Action(rule.Choice("action", true, "accept", "drop", "reject"));
            var inInterface = rule.InterfaceNameField("in_interface", required: false);
            var outInterface = rule.InterfaceNameField("out_interface", required: false);
            if (chain == AclChain.Input && rule.Has("out_interface"))
                rule.Errors.Invalid(rule.PathOf("out_interface"), "an input rule has no outgoing interface");
            var source = rule.NetworkField("source", false, FamilyRule.IPv4);
            var destination = rule.NetworkField("destination", false, FamilyRule.IPv4);
            var protocol = rule.Choice("protocol", false, "tcp", "udp", "icmp", "all");
            var destinationPorts = rule.PortListField("destination_ports");
            var sourcePorts = rule.PortListField("source_ports");
            foreach (var key in new[] { "destination_ports", "source_ports" })
                if (rule.Has(key) && protocol is not ("tcp" or "udp"))
                    rule.Errors.Invalid(rule.PathOf(key), "ports need protocol tcp or udp");
            rules.Add(new AclRule(name ?? "", chain ?? AclChain.Forward, action ?? AclAction.Accept, inInterface, outInterface,
                source?.ToString(), destination?.ToString(), protocol, destinationPorts, sourcePorts));
        }
        return new AclSpec(forward, input, rules.ToEquatableList());
    }

    private static AclAction? Action(string? text) => text switch
    {
        "accept" => AclAction.Accept,
        "drop" => AclAction.Drop,
        "reject" => AclAction.Reject,
        _ => null,
    };

    // IBatchTopic: the registry entry (Protocol/BatchTopics.cs).
    string IBatchTopic.Name => Name;
    public DesiredConfig Read(DesiredConfig config, ObjectReader body) => config with { Acl = Read(body) };
    public Stage? OwnsRemovalsOf => Stage.Firewall;
}
