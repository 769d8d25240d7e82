using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// Whether this box may carry the site, as far as its backbone goes (spec: ha, "the agent tracks its own
/// backbone"): down while the tunnel is missing or disabled, or its hub peer has no handshake within
/// handshake_timeout_s. A box without a backbone tunnel (no wireguard topic, hub kind none) has nothing to
/// lose, so it is never down for that reason.
/// </summary>
public static class BackboneVerdict
{
    public static bool IsDown(BackboneSpec? backbone, ObservedWgDevice? device, TimeSpan handshakeTimeout, DateTimeOffset now)
    {
        if (backbone is null || backbone.Kind == HubKind.None || backbone.Hub is null) return false;
        if (!backbone.Enabled || device is null) return true;
        var hub = device.Peers.FirstOrDefault(p => p.PublicKey == backbone.Hub.PublicKey);
        return hub?.LatestHandshake is not { } at || now - at > handshakeTimeout;
    }
}
