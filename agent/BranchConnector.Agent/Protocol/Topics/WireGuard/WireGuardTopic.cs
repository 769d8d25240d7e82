using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>`wireguard`: the backbone tunnel to the hub edge or MTGE.</summary>
internal sealed class WireGuardTopic : IBatchTopic
{
    public const string Name = "wireguard";
    public const string DefaultInterface = "wg0";

    public static BackboneSpec? Read(ObjectReader body)
    {
        var name = body.Has("interface") ? body.InterfaceNameField("interface", required: true) : DefaultInterface;
        var enabled = body.Bool("enabled") ?? true;
        var addresses = body.InterfaceAddressList("addresses", required: false, FamilyRule.Any);
        var listenPort = body.Int("listen_port", false, 1, 65535);
        var mtu = MtuRange.Read(body, addresses);
        var lanSubnets = body.NetworkList("lan_subnets", required: false, FamilyRule.Any);
        var hubReader = body.Object("hub", required: true);
        var kind = hubReader?.Choice("kind", true, "dedicated_edge", "mtge", "none") switch
        {
            "dedicated_edge" => HubKind.DedicatedEdge,
            "mtge" => HubKind.Mtge,
            "none" => HubKind.None,
            _ => (HubKind?)null,
        };
        // Standalone (`none`): no tunnel, so the hub's other fields are neither needed nor read.
        var hub = hubReader is { } h && kind is HubKind.DedicatedEdge or HubKind.Mtge ? ReadHub(h) : null;

        if (name is null || kind is null || (kind != HubKind.None && hub is null)) return null;
        return new BackboneSpec(name, enabled, addresses.Select(a => a.ToString()).ToEquatableList(), listenPort, mtu, kind.Value, hub,
            lanSubnets.Select(s => s.ToString()).ToEquatableList());
    }

    private static HubPeer? ReadHub(ObjectReader hub)
    {
        var name = hub.String("name", required: true);
        if (name is not null && (name.Length is 0 or > 253 || name.Any(char.IsControl)))
        {
            hub.Errors.Invalid(hub.PathOf("name"), "must be 1 to 253 printable characters");
            name = null;
        }
        var publicKey = hub.WireGuardKeyField("public_key", required: true);
        var endpoint = hub.EndpointField("endpoint", required: false, allowHostname: true, FamilyRule.Any);
        var allowedIps = hub.NetworkList("allowed_ips", required: false, FamilyRule.Any);
        var keepalive = hub.Int("persistent_keepalive", false, 0, 65535);
        var presharedText = hub.WireGuardKeyField("preshared_key", required: false);
        var endpointBad = hub.Has("endpoint") && endpoint is null;
        var presharedBad = hub.Has("preshared_key") && presharedText is null;
        if (name is null || publicKey is null || endpointBad || presharedBad) return null;
        return new HubPeer(name, publicKey, endpoint, allowedIps.Select(a => a.ToString()).ToEquatableList(), keepalive,
            presharedText is null ? null : new Secret(presharedText));
    }

    // IBatchTopic: the registry entry (Protocol/BatchTopics.cs).
    string IBatchTopic.Name => Name;
    public DesiredConfig Read(DesiredConfig config, ObjectReader body) => config with { Backbone = Read(body) };
    public Stage? OwnsRemovalsOf => Stage.WireGuard;
}
