using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Peering;
using BranchConnector.Agent.Protocol.Reading;

namespace BranchConnector.Agent.Protocol;

/// <summary>
/// Decodes and validates a `{S}/{serial}/e2e-peering` message: the same envelope rules as a batch, with
/// `config_hash` over `groups`, then every group (WireGuard or IPSec) and the rules that span groups.
/// </summary>
public static class PeeringDecoder
{
    public static PeeringDecodeResult Decode(ReadOnlySpan<byte> payload)
    {
        var errors = new ErrorCollector();
        using var document = EnvelopeReader.Parse(payload, errors);
        if (document is null) return new PeeringDecodeResult(null, errors.Errors.ToEquatableList(), null, null);

        var root = ObjectReader.From(document.RootElement, "", errors)!.Value;
        var envelope = EnvelopeReader.Read(root, "groups");
        if (root.Element.TryGetProperty("groups", out var groupsElement))
            NumberScan.ReportNonIntegers(groupsElement, "groups", errors);

        var context = new PeeringContext();
        var groupIds = new HashSet<string>(StringComparer.Ordinal);
        var wireGuard = new List<WireGuardGroup>();
        var ipsec = new List<IpsecGroup>();
        foreach (var group in root.Objects("groups", required: true))
        {
            var header = GroupHeader.Read(group, groupIds);
            if (header.Protocol == "wireguard") wireGuard.Add(WireGuardGroupReader.Read(group, header, context));
            else if (header.Protocol == "ipsec") ipsec.Add(IpsecGroupReader.Read(group, header, context));
        }

        var peering = errors.Count == 0
            ? new DecodedPeering(envelope.Sequence!.Value, envelope.ConfigHash!, envelope.IssuedAt, new DesiredPeering(wireGuard.ToEquatableList(), ipsec.ToEquatableList()))
            : null;
        return new PeeringDecodeResult(peering, errors.Errors.ToEquatableList(), envelope.Sequence, envelope.ConfigHash);
    }
}
