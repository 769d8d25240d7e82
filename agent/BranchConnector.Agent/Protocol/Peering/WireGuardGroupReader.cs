using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Peering;

/// <summary>
/// A WireGuard peering group. All WireGuard groups share one interface (default wg2) and so one listen
/// port and one key; a member's key may appear once on it, and a member without an endpoint must have
/// allowed_ips, because it can then only be reached through the hub (relayed).
/// </summary>
internal static class WireGuardGroupReader
{
    public const string DefaultInterface = "wg2";
    public const int DefaultDirectTimeoutS = 30;

    public static WireGuardGroup Read(ObjectReader group, GroupHeader header, PeeringContext context)
    {
        var name = group.Has("interface") ? group.InterfaceNameField("interface", required: true) : DefaultInterface;
        if (name is not null)
        {
            if (context.WireGuardInterface is { } first && first.Name != name)
                group.Errors.Add(ErrorCodes.NotAllowed, group.PathOf("interface"),
                    $"every WireGuard peering group must use the one peering interface '{first.Name}' ({first.Path}); there is no second tunnel");
            context.WireGuardInterface ??= (name, group.PathOf("interface"));
        }
        var tunnelAddress = group.String("tunnel_address", required: true) is { } text
            ? FieldReads.InterfaceAddress(text, group.PathOf("tunnel_address"), group.Errors, FamilyRule.Any)
            : null;
        var listenPort = group.Int("listen_port", false, 1, 65535);
        if (listenPort is { } port)
        {
            if (context.WireGuardListenPort is { } firstPort && firstPort.Port != port)
                group.Errors.Invalid(group.PathOf("listen_port"), $"the peering interface listens on one port; {firstPort.Path} says {firstPort.Port}");
            context.WireGuardListenPort ??= (port, group.PathOf("listen_port"));
        }
        var directTimeout = group.Int("direct_timeout_s", false, 1, 86400) ?? DefaultDirectTimeoutS;

        var members = new List<PeeringMember>();
        var serials = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in group.Objects("members"))
        {
            var parsed = ReadMember(member, tunnelAddress, context);
            if (parsed is null) continue;
            if (!serials.Add(parsed.Serial)) member.Errors.Invalid(member.PathOf("serial"), $"member '{parsed.Serial}' is listed twice");
            members.Add(parsed);
        }
        return new WireGuardGroup(header.Id, header.Name, header.Topology, header.Role, name ?? DefaultInterface,
            tunnelAddress?.ToString() ?? "", listenPort, directTimeout, members.ToEquatableList());
    }

    private static PeeringMember? ReadMember(ObjectReader member, Cidr? tunnelAddress, PeeringContext context)
    {
        var serial = GroupHeader.Identifier(member, "serial", required: true);
        var publicKey = member.WireGuardKeyField("public_key", required: true);
        if (publicKey is not null && !context.PublicKeys.TryAdd(publicKey, member.PathOf("public_key")))
            member.Errors.Invalid(member.PathOf("public_key"), $"the same public key is already a peer ({context.PublicKeys[publicKey]}); one interface holds each peer once");
        var endpoint = member.EndpointField("endpoint", required: false, allowHostname: true, FamilyRule.Any);
        var tunnelIp = member.AddressField("tunnel_ip", required: false, FamilyRule.Any);
        if (tunnelIp is not null && tunnelAddress is not null && tunnelIp.IsIPv4() != tunnelAddress.IsIPv4)
            member.Errors.Invalid(member.PathOf("tunnel_ip"), $"tunnel_ip {tunnelIp} is {tunnelIp.FamilyName()} but the group's tunnel_address is not");
        var allowedIps = member.NetworkEntries("allowed_ips", required: false, FamilyRule.Any);
        foreach (var (prefix, path) in allowedIps)
        {
            if (!context.MemberAllowedIps.TryAdd(prefix.ToString(), path))
                member.Errors.Invalid(path, $"{prefix} is already routed to another peer ({context.MemberAllowedIps[prefix.ToString()]})");
        }
        if (!member.Has("endpoint") && allowedIps.Count == 0 && !member.Errors.HasErrorAtOrUnder(member.PathOf("allowed_ips")))
            member.Errors.Invalid(member.PathOf("endpoint"), "a member without an endpoint can only be reached through the hub, which needs its allowed_ips");
        if (serial is null || publicKey is null) return null;
        return new PeeringMember(serial, publicKey, endpoint, tunnelIp?.ToString(), allowedIps.Select(a => a.Cidr.ToString()).ToEquatableList());
    }
}
