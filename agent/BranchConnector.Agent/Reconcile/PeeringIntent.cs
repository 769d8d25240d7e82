using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Routes;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Reconcile;

/// <summary>The peering document's part of the intent (WireGuard groups); IPSec groups go to the intent as they are.</summary>
internal static class PeeringIntent
{
    /// <summary>
    /// The peering device (one for every WireGuard group), its link, the members' routes (direct, or through the
    /// backbone when relayed or without an endpoint) and the subnets the hub peer must also accept.
    /// </summary>
    public static async Task<(DesiredWgDevice, DesiredLinkState, List<DesiredRoute>, List<string>)> BuildAsync(
        DesiredPeering peering, BackboneSpec? backbone, IIntentEnvironment env, List<string> warnings, CancellationToken ct)
    {
        var first = peering.WireGuardGroups[0];
        var peers = new List<DesiredWgPeer>();
        var routes = new List<DesiredRoute>();
        var relayable = new List<string>();
        foreach (var group in peering.WireGuardGroups)
        {
            var origin = new GroupOrigin(group.Id);
            foreach (var member in group.Members)
            {
                string? endpoint = null;
                if (member.Endpoint is { } ep)
                {
                    var r = await env.ResolveAsync(ep, ct).ConfigureAwait(false);
                    if (r.Warning is { } w) warnings.Add(w);
                    endpoint = r.Address;
                }
                var allowed = (member.TunnelIp is { } tip ? new[] { HostCidr(tip) } : [])
                    .Concat(member.AllowedIps).Distinct(StringComparer.Ordinal).ToEquatableList();
                peers.Add(new DesiredWgPeer(member.PublicKey, null, endpoint, allowed, endpoint is null ? 0 : Health.PeeringPaths.KeepaliveFor(group.DirectTimeoutS)) { Origin = origin });
                // Relay through the hub when the direct path failed, or when there is no direct path at all.
                var viaHub = backbone is not null && (env.RelayedMembers.Contains(member.Serial) || endpoint is null);
                foreach (var cidr in member.AllowedIps)
                    routes.Add(new DesiredRoute(cidr, null, viaHub ? backbone!.Interface : group.Interface, null, RoutingTables.Main) { Origin = origin });
                // The hub peer always accepts the member's subnets: the two ends switch paths independently, and
                // a reply that comes back through the hub while this end is direct again must not be dropped.
                if (backbone is not null) relayable.AddRange(member.AllowedIps);
            }
        }
        var listenPort = peering.WireGuardGroups.Select(g => g.ListenPort).FirstOrDefault(p => p is not null);
        // The one peering device serves every WireGuard group; the device and its link count under the first.
        var deviceOrigin = new GroupOrigin(first.Id);
        var device = new DesiredWgDevice(first.Interface, env.PublicKeyFor(KeyNames.Peering), listenPort, 0, peers.ToEquatableList())
        {
            KeyName = KeyNames.Peering,
            Origin = deviceOrigin,
        };
        var link = new DesiredLinkState(first.Interface, peering.WireGuardGroups.Select(g => g.TunnelAddress).Distinct(StringComparer.Ordinal).ToEquatableList(),
            IntentBuilder.DefaultPeeringMtu, SetUp: true) { Origin = deviceOrigin };
        return (device, link, routes, relayable);
    }

    private static string HostCidr(string ip) => ip.Contains('/') ? ip : ip.Contains(':') ? ip + "/128" : ip + "/32";
}
