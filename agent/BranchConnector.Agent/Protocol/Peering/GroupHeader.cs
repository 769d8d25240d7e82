using System.Text.RegularExpressions;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;

namespace BranchConnector.Agent.Protocol.Peering;

/// <summary>The fields every peering group has: id, name, protocol, topology, role (`hub` is not for connectors).</summary>
internal sealed partial record GroupHeader(string Id, string Name, string? Protocol, string Topology, PeeringRole Role)
{
    public const string DefaultTopology = "mesh";

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    public static partial Regex Identifier();

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex TopologyName();

    public static GroupHeader Read(ObjectReader group, HashSet<string> groupIds)
    {
        var id = Identifier(group, "id", required: true);
        if (id is not null && !groupIds.Add(id)) group.Errors.Invalid(group.PathOf("id"), $"group id '{id}' is used twice");
        var name = group.String("name");
        if (name is not null && (name.Length > 128 || name.Any(char.IsControl)))
            group.Errors.Invalid(group.PathOf("name"), "must be at most 128 printable characters");
        var protocol = group.Choice("protocol", true, "wireguard", "ipsec");
        var topology = group.String("topology") ?? DefaultTopology;
        if (!TopologyName().IsMatch(topology))
            group.Errors.Invalid(group.PathOf("topology"), $"'{Printable.Clip(topology)}' is not a topology name ([a-z0-9_-]{{1,32}})");
        var roleText = group.String("role", required: true);
        PeeringRole? role = roleText switch
        {
            "mesh-peer" => PeeringRole.MeshPeer,
            "spoke" => PeeringRole.Spoke,
            _ => null,
        };
        if (roleText == "hub")
            group.Errors.Add(ErrorCodes.NotAllowed, group.PathOf("role"), "a connector cannot be the hub of a peering group (mesh-peer or spoke only)");
        else if (roleText is not null && role is null)
            group.Errors.Invalid(group.PathOf("role"), $"must be one of mesh-peer | spoke, not '{Printable.Clip(roleText)}'");
        return new GroupHeader(id ?? "", name ?? id ?? "", protocol, topology, role ?? PeeringRole.MeshPeer);
    }

    /// <summary>An id or serial: 1 to 64 of letters, digits and `_ . : -`.</summary>
    public static string? Identifier(ObjectReader reader, string key, bool required)
    {
        var text = reader.String(key, required);
        if (text is null || Identifier().IsMatch(text)) return text;
        reader.Errors.Invalid(reader.PathOf(key), $"'{Printable.Clip(text)}' must be 1 to 64 of A-Z a-z 0-9 _ . : -");
        return null;
    }
}
