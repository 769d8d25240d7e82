using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>`interface`: `{ "interfaces": [ { "name", "addresses": ["ip/prefix"], "mtu" } ] }`.</summary>
internal sealed class InterfaceTopic : IBatchTopic
{
    public const string Name = "interface";

    public static EquatableList<InterfaceSpec> Read(ObjectReader body)
    {
        var result = new List<InterfaceSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in body.Objects("interfaces"))
        {
            var name = item.InterfaceNameField("name", required: true);
            if (name is not null && !seen.Add(name)) body.Errors.Invalid(item.PathOf("name"), $"interface '{name}' is listed twice");
            var addresses = item.InterfaceAddressList("addresses", required: false, FamilyRule.Any);
            var mtu = MtuRange.Read(item, addresses);
            if (name is not null) result.Add(new InterfaceSpec(name, addresses.Select(a => a.ToString()).ToEquatableList(), mtu));
        }
        return result.ToEquatableList();
    }

    // IBatchTopic: the registry entry (Protocol/BatchTopics.cs).
    string IBatchTopic.Name => Name;
    public DesiredConfig Read(DesiredConfig config, ObjectReader body) => config with { Interfaces = Read(body) };
    public Stage? OwnsRemovalsOf => Stage.Interface;
}
