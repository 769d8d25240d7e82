using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Reconcile;

/// <summary>What compiling the documents needs from the box: keys, name resolution, path MTU, relay decisions.</summary>
public interface IIntentEnvironment
{
    string PublicKeyFor(string keyName);
    Task<EndpointResolver.Resolution> ResolveAsync(Endpoint endpoint, CancellationToken ct);
    Task<int> MtuTowardsAsync(System.Net.IPAddress? endpointAddress, CancellationToken ct);
    bool ManageFirewall { get; }
    /// <summary>Peering members whose direct path failed: their subnets go through the backbone instead.</summary>
    IReadOnlySet<string> RelayedMembers { get; }
}

/// <summary>Compiles validated documents into a <see cref="KernelIntent"/>. The planner stays pure; the I/O it needs happens here.</summary>
public static class IntentBuilder
{
    public const int DefaultPeeringMtu = 1420;

    public static async Task<KernelIntent> BuildAsync(DesiredConfig config, DesiredPeering peering, IIntentEnvironment env, CancellationToken ct)
    {
        var links = new List<DesiredLinkState>();
        var devices = new List<DesiredWgDevice>();
        var routes = new List<DesiredRoute>();
        var rules = new List<DesiredRule>();
        var tunnels = new List<TunnelInterface>();
        var warnings = new List<string>();
        var sysctls = new List<DesiredSysctl>();
        TunnelMark? tunnelMark = null;

        var interfaceOrigin = config.OriginOf(Protocol.Topics.InterfaceTopic.Name);
        var staticOrigin = config.OriginOf(Protocol.Topics.StaticTopic.Name);
        var backboneOrigin = config.OriginOf(Protocol.Topics.WireGuardTopic.Name);
        links.AddRange(config.Interfaces.Select(i => DesiredLinkState.From(i) with { Origin = interfaceOrigin }));
        routes.AddRange(config.Routes.Select(r => DesiredRoute.From(r) with { Origin = staticOrigin }));

        var backbone = ActiveBackbone(config);
        var relayableViaHub = new List<string>();
        if (peering.WireGuardInterface is { } peerIf && peering.WireGuardGroups.Count > 0)
        {
            var (device, link, peerRoutes, relayable) = await PeeringIntent.BuildAsync(peering, backbone, env, warnings, ct).ConfigureAwait(false);
            devices.Add(device);
            links.Add(link);
            routes.AddRange(peerRoutes);
            relayableViaHub.AddRange(relayable);
            tunnels.Add(new TunnelInterface(peerIf, link.Mtu ?? DefaultPeeringMtu) { Origin = link.Origin });
        }

        if (backbone is { Hub: { } hub })
        {
            var resolved = hub.Endpoint is null ? null : await env.ResolveAsync(hub.Endpoint, ct).ConfigureAwait(false);
            if (resolved?.Warning is { } w) warnings.Add(w);
            var fullTunnel = FullTunnel.For(backbone.Interface, hub.AllowedIps);
            var mtu = backbone.Mtu ?? await env.MtuTowardsAsync(resolved?.Host, ct).ConfigureAwait(false);
            var hubAllowed = hub.AllowedIps.Concat(relayableViaHub).Distinct(StringComparer.Ordinal).ToEquatableList();
            devices.Add(new DesiredWgDevice(
                backbone.Interface,
                env.PublicKeyFor(KeyNames.Backbone),
                backbone.ListenPort,
                fullTunnel is null ? 0 : FullTunnel.DefaultFwmark,
                [new DesiredWgPeer(hub.PublicKey, hub.PresharedKey, resolved?.Address, hubAllowed, hub.PersistentKeepalive ?? 0) { Origin = backboneOrigin }])
            {
                KeyName = KeyNames.Backbone,
                Origin = backboneOrigin,
            });
            links.Add(new DesiredLinkState(backbone.Interface, backbone.Addresses, mtu, SetUp: true) { Origin = backboneOrigin });
            // Routes for what the hub serves; relayed members' routes come from the peering part above.
            foreach (var cidr in hub.AllowedIps.Where(c => !IsDefaultRoute(c)))
                routes.Add(new DesiredRoute(cidr, null, backbone.Interface, null, RoutingTables.Main) { Origin = backboneOrigin });
            if (fullTunnel is not null)
            {
                routes.AddRange(fullTunnel.Routes.Select(r => r with { Origin = backboneOrigin }));
                rules.AddRange(fullTunnel.Rules.Select(r => r with { Origin = backboneOrigin }));
                sysctls.AddRange(fullTunnel.Sysctls.Select(s => s with { Origin = backboneOrigin }));
                tunnelMark = new TunnelMark(FullTunnel.DefaultFwmark, fullTunnel.Families.ToEquatableList());
            }
            tunnels.Add(new TunnelInterface(backbone.Interface, mtu) { Origin = backboneOrigin });
        }

        routes = WithoutShadowedRoutes(routes, config.Routes.Count);
        var firewall = env.ManageFirewall
            ? new FirewallIntent(config.Nat, config.Acl, tunnels.OrderBy(t => t.Name, StringComparer.Ordinal).ToEquatableList())
            {
                TunnelMark = tunnelMark,
                Origins = new FirewallOrigins(config.OriginOf(Protocol.Topics.Nat44Topic.Name), config.OriginOf(Protocol.Topics.AclTopic.Name), backboneOrigin),
            }
            : null;
        return new KernelIntent(links.ToEquatableList(), devices.ToEquatableList(), routes.ToEquatableList(), rules.ToEquatableList(), firewall)
        {
            Warnings = warnings.ToEquatableList(),
            Sysctls = sysctls.ToEquatableList(),
            Ipsec = peering.IpsecGroups,
            Parts = Protocol.BatchTopics.All.SelectMany(t => t.Intent(config, config.OriginOf(t.Name))).ToEquatableList(),
        };
    }

    /// <summary>The backbone when it should exist: topic present, enabled, and a hub to reach.</summary>
    public static BackboneSpec? ActiveBackbone(DesiredConfig config) =>
        config.Backbone is { Enabled: true, Kind: not HubKind.None, Hub: not null } b ? b : null;

    /// <summary>
    /// The `static` topic is the operator's explicit word: a route derived from allowed IPs or peering with the
    /// same kernel identity (destination, table, metric) gives way to it instead of conflicting. The first
    /// <paramref name="explicitCount"/> routes are the static ones.
    /// </summary>
    private static List<DesiredRoute> WithoutShadowedRoutes(List<DesiredRoute> routes, int explicitCount)
    {
        var taken = new HashSet<RouteKey>();
        var kept = new List<DesiredRoute>();
        for (var i = 0; i < routes.Count; i++)
            if (taken.Add(routes[i].Key) || i < explicitCount) kept.Add(routes[i]);
        return kept;
    }

    private static bool IsDefaultRoute(string cidr) => FullTunnel.IsDefaultRoute(cidr);

}
