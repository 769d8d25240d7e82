using System.Globalization;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Peering;

/// <summary>
/// A static-xfrm IPSec group: ESP in UDP over IPv4. Each link has two SAs (outbound, inbound) whose SPIs are
/// unique across every link and direction of the document, and remote subnets that overlap no other
/// link's, since a policy must pick exactly one tunnel for a destination.
/// </summary>
internal static class IpsecGroupReader
{
    public const int DefaultPort = 4500;
    public const int KeyHexLength = 72;

    public static IpsecGroup Read(ObjectReader group, GroupHeader header, PeeringContext context)
    {
        var listenPort = group.Int("listen_port", false, 1, 65535) ?? DefaultPort;
        var localAddress = group.AddressField("local_address", true, FamilyRule.IPv4);
        var links = new List<IpsecLink>();
        foreach (var link in group.Objects("links"))
        {
            var parsed = ReadLink(link, context);
            if (parsed is not null) links.Add(parsed);
        }
        return new IpsecGroup(header.Id, header.Name, header.Topology, header.Role, listenPort, localAddress?.ToString() ?? "", links.ToEquatableList());
    }

    private static IpsecLink? ReadLink(ObjectReader link, PeeringContext context)
    {
        var id = GroupHeader.Identifier(link, "id", required: true);
        if (id is not null && !context.LinkIds.TryAdd(id, link.PathOf("id")))
            link.Errors.Invalid(link.PathOf("id"), $"link id '{id}' is used twice (also {context.LinkIds[id]})");
        var peer = GroupHeader.Identifier(link, "peer_serial", required: true);
        var remoteAddress = link.AddressField("remote_address", true, FamilyRule.IPv4);
        var remotePort = link.Int("remote_port", false, 1, 65535) ?? DefaultPort;
        var localSubnets = link.NetworkEntries("local_subnets", true, FamilyRule.IPv4);
        var remoteSubnets = link.NetworkEntries("remote_subnets", true, FamilyRule.IPv4);
        if (link.Has("local_subnets") && localSubnets.Count == 0 && !link.Errors.HasErrorAtOrUnder(link.PathOf("local_subnets")))
            link.Errors.Invalid(link.PathOf("local_subnets"), "needs at least one subnet");
        if (link.Has("remote_subnets") && remoteSubnets.Count == 0 && !link.Errors.HasErrorAtOrUnder(link.PathOf("remote_subnets")))
            link.Errors.Invalid(link.PathOf("remote_subnets"), "needs at least one subnet");
        foreach (var (subnet, path) in remoteSubnets)
        {
            var clash = context.RemoteSubnets.FirstOrDefault(s => s.Subnet.Overlaps(subnet));
            if (clash.Path is not null)
                link.Errors.Invalid(path, $"{subnet} overlaps {clash.Subnet} ({clash.Path}); each remote subnet must belong to one link");
            else context.RemoteSubnets.Add((subnet, path));
        }
        var outbound = ReadSa(link, "outbound", context);
        var inbound = ReadSa(link, "inbound", context);
        if (id is null || peer is null || remoteAddress is null || outbound is null || inbound is null) return null;
        return new IpsecLink(id, peer, remoteAddress.ToString(), remotePort,
            localSubnets.Select(s => s.Cidr.ToString()).ToEquatableList(), remoteSubnets.Select(s => s.Cidr.ToString()).ToEquatableList(),
            outbound, inbound);
    }

    private static IpsecSa? ReadSa(ObjectReader link, string direction, PeeringContext context)
    {
        if (link.Object(direction, required: true) is not { } sa) return null;
        uint? spi = null;
        if (sa.String("spi", required: true) is { } spiText)
        {
            var problem = SpiText.TryParse(spiText, out var value);
            if (problem is not null) sa.Errors.Invalid(sa.PathOf("spi"), problem);
            else if (!context.Spis.TryAdd(value, sa.PathOf("spi")))
                sa.Errors.Invalid(sa.PathOf("spi"), $"SPI 0x{value.ToString("x8", CultureInfo.InvariantCulture)} is already used ({context.Spis[value]}); every SA needs its own");
            else spi = value;
        }
        Secret? key = null;
        if (sa.String("key", required: true) is { } keyText)
        {
            if (keyText.Length == KeyHexLength && keyText.All(Uri.IsHexDigit)) key = new Secret(keyText.ToLowerInvariant());
            else sa.Errors.Invalid(sa.PathOf("key"), $"must be exactly {KeyHexLength} hex characters (32-byte AES-GCM key + 4-byte salt)");
        }
        return spi is null || key is null ? null : new IpsecSa(spi.Value, key);
    }
}
