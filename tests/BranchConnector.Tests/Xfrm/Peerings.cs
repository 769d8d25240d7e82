using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Xfrm;

namespace BranchConnector.Tests.Xfrm;

/// <summary>Peering documents for the xfrm tests, and a kernel that holds exactly what a document asks for.</summary>
internal static class Peerings
{
    /// <summary>A recognisable fake key: 72 hex chars of one repeated byte. Golden files must never contain it.</summary>
    public static Secret Key(int b) => new(string.Concat(Enumerable.Repeat(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture), 36)));

    public static IpsecLink Link(string id, string remote, string[] local, string[] remoteSubnets, uint outSpi, uint inSpi, int keyByte, int remotePort = 4500) =>
        new(id, "E-" + id, remote, remotePort, local.ToEquatableList(), remoteSubnets.ToEquatableList(),
            new IpsecSa(outSpi, Key(keyByte)), new IpsecSa(inSpi, Key(keyByte + 1)));

    public static DesiredPeering Of(params IpsecLink[] links) =>
        new([], [new IpsecGroup("pg-2", "dc-links", "mesh", PeeringRole.MeshPeer, 4500, "198.51.100.2", links.ToEquatableList())]);

    public static readonly IpsecLink L1 = Link("l-1", "198.51.100.9", ["192.168.10.0/24"], ["10.40.0.0/16"], 0xc001, 0xc002, 0x11);

    public static readonly IpsecLink L2 = Link("l-2", "203.0.113.7", ["192.168.10.0/24", "192.168.11.0/24"], ["10.50.0.0/16", "10.51.0.0/24"], 0xd001, 0xd002, 0x21, remotePort: 4501);

    /// <summary>What `ip xfrm state/policy` would report after the document was applied (keys only as digests).</summary>
    public static ObservedXfrm Installed(DesiredPeering peering) => Installed(XfrmIntent.From(peering));

    public static ObservedXfrm Installed(XfrmIntent intent) => new(
        [.. intent.Sas.Select(s => new ObservedSa(s.Source, s.Destination, s.Spi, s.Reqid, "tunnel", XfrmRenderer.Aead,
            XfrmKeyDigest.Of(s.Key.Value), XfrmRenderer.IcvBits, new SaEncap("espinudp", s.SourcePort, s.DestinationPort))
        {
            Esn = true,
            ReplayWindow = SaSequences.ReplayWindow,
            OutboundSequence = 0,
            InboundSequence = 0,
        })],
        [.. intent.Policies.Select(p => new ObservedPolicy(p.Key, XfrmBands.Priority, [p.Template]))]);

    public static ObservedXfrm Union(ObservedXfrm a, ObservedXfrm b) =>
        new([.. a.States, .. b.States.Where(s => !a.States.Any(x => x.Identity == s.Identity))],
            [.. a.Policies, .. b.Policies.Where(p => !a.Policies.Any(x => x.Key == p.Key))]);
}
