using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>
/// `nat44` (IPv4 only): masquerade needs `out_interface`; snat needs `out_interface` and `to_address`;
/// dnat needs `in_interface`, `protocol` and `to` ("ip:port"). `source`/`destination` prefixes are optional
/// filters; `destination_port` needs a protocol. A key that belongs to another type is an error, not ignored:
/// it would mean the hub and the agent disagree about the rule.
/// </summary>
internal sealed class Nat44Topic : IBatchTopic
{
    public const string Name = "nat44";

    public static EquatableList<NatRule> Read(ObjectReader body)
    {
        var result = new List<NatRule>();
        foreach (var rule in body.Objects("rules"))
        {
            var type = rule.Choice("type", true, "masquerade", "snat", "dnat") switch
            {
                "masquerade" => NatType.Masquerade,
                "snat" => NatType.Snat,
                "dnat" => NatType.Dnat,
                _ => (NatType?)null,
            };
            var source = rule.NetworkField("source", false, FamilyRule.IPv4);
            var destination = rule.NetworkField("destination", false, FamilyRule.IPv4);
            var protocol = rule.Choice("protocol", type == NatType.Dnat, "tcp", "udp");
            var port = rule.Int("destination_port", false, 1, 65535);
            if (rule.Has("destination_port") && !rule.Has("protocol"))
                rule.Errors.Invalid(rule.PathOf("destination_port"), "a port needs protocol tcp or udp");

            string? inInterface = null, outInterface = null, toAddress = null;
            Endpoint? to = null;
            switch (type)
            {
                case NatType.Masquerade:
                    outInterface = rule.InterfaceNameField("out_interface", required: true);
                    Forbid(rule, "masquerade", "in_interface", "to_address", "to");
                    break;
                case NatType.Snat:
                    outInterface = rule.InterfaceNameField("out_interface", required: true);
                    toAddress = rule.AddressField("to_address", true, FamilyRule.IPv4)?.ToString();
                    Forbid(rule, "snat", "in_interface", "to");
                    break;
                case NatType.Dnat:
                    inInterface = rule.InterfaceNameField("in_interface", required: true);
                    to = rule.EndpointField("to", required: true, allowHostname: false, FamilyRule.IPv4);
                    Forbid(rule, "dnat", "out_interface", "to_address");
                    break;
            }
            if (type is not null)
                result.Add(new NatRule(type.Value, source?.ToString(), destination?.ToString(), inInterface, outInterface, protocol, port, toAddress, to));
        }
        return result.ToEquatableList();
    }

    private static void Forbid(ObjectReader rule, string type, params string[] keys)
    {
        foreach (var key in keys.Where(rule.Has))
            rule.Errors.Invalid(rule.PathOf(key), $"{key} does not apply to a {type} rule");
    }

    // IBatchTopic: the registry entry (Protocol/BatchTopics.cs).
    string IBatchTopic.Name => Name;
    public DesiredConfig Read(DesiredConfig config, ObjectReader body) => config with { Nat = Read(body) };
}
