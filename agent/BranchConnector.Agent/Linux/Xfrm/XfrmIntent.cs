using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Xfrm;

public enum SaDirection { Inbound, Outbound }

/// <summary>One SA the kernel should hold, with the link it belongs to.</summary>
public sealed record DesiredSa(
    string LinkId,
    SaDirection Direction,
    string Source,
    string Destination,
    uint Spi,
    uint Reqid,
    Secret Key,
    int SourcePort,
    int DestinationPort)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }
    public SaKey Identity => new(Destination, Spi);
}

/// <summary>One policy the kernel should hold (always at <see cref="XfrmBands.Priority"/>).</summary>
public sealed record DesiredPolicy(string LinkId, PolicyKey Key, PolicyTemplate Template)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }
}

/// <summary>
/// The xfrm objects an IPSec peering needs. Per link: an outbound SA (local → remote, encap sport
/// listen_port, dport remote_port) and an inbound SA (the mirror), both carrying the link's reqid; per
/// (local subnet, remote subnet) pair an `out` policy using the outbound SA and `in`/`fwd` policies that
/// require the inbound one.
/// </summary>
public sealed record XfrmIntent(IReadOnlyList<DesiredSa> Sas, IReadOnlyList<DesiredPolicy> Policies, IReadOnlyDictionary<string, uint> Reqids)
{
    public const string Proto = "esp";
    public const string Mode = "tunnel";

    public static XfrmIntent From(DesiredPeering peering)
    {
        var links = peering.IpsecGroups.SelectMany(g => g.Links.Select(l => (Group: g, Link: l))).ToList();
        var reqids = XfrmBands.AssignReqids(links.Select(x => x.Link.Id));
        var sas = new List<DesiredSa>();
        var policies = new List<DesiredPolicy>();
        foreach (var (group, link) in links)
        {
            var local = IpText.Address(group.LocalAddress);
            var remote = IpText.Address(link.RemoteAddress);
            var reqid = reqids[link.Id];
            var origin = new GroupOrigin(group.Id);
            sas.Add(new DesiredSa(link.Id, SaDirection.Inbound, remote, local, link.Inbound.Spi, reqid, link.Inbound.Key, link.RemotePort, group.ListenPort) { Origin = origin });
            sas.Add(new DesiredSa(link.Id, SaDirection.Outbound, local, remote, link.Outbound.Spi, reqid, link.Outbound.Key, group.ListenPort, link.RemotePort) { Origin = origin });
            var outTemplate = new PolicyTemplate(local, remote, Proto, reqid, Mode);
            var inTemplate = new PolicyTemplate(remote, local, Proto, reqid, Mode);
            foreach (var localSubnet in link.LocalSubnets.Select(s => IpText.Network(s)).Distinct(StringComparer.Ordinal))
            foreach (var remoteSubnet in link.RemoteSubnets.Select(s => IpText.Network(s)).Distinct(StringComparer.Ordinal))
            {
                policies.Add(new DesiredPolicy(link.Id, new PolicyKey(PolicyDir.Out, localSubnet, remoteSubnet), outTemplate) { Origin = origin });
                policies.Add(new DesiredPolicy(link.Id, new PolicyKey(PolicyDir.In, remoteSubnet, localSubnet), inTemplate) { Origin = origin });
                policies.Add(new DesiredPolicy(link.Id, new PolicyKey(PolicyDir.Fwd, remoteSubnet, localSubnet), inTemplate) { Origin = origin });
            }
        }
        return new XfrmIntent(sas, policies, reqids);
    }
}
