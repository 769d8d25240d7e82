using System.Globalization;
using System.Text;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>Renders the `wg setconf`/`wg syncconf` text. It holds the private key, so it only ever travels on stdin.</summary>
public static class WgConfigRenderer
{
    public static string Render(DesiredWgDevice device, Secret privateKey)
    {
        var sb = new StringBuilder();
        sb.Append("[Interface]\n");
        sb.Append("PrivateKey = ").Append(privateKey.Value).Append('\n');
        if (device.ListenPort is { } port) sb.Append("ListenPort = ").Append(port.ToString(CultureInfo.InvariantCulture)).Append('\n');
        // Always written: `wg syncconf` keeps the live fwmark when the line is absent, so leaving a full tunnel
        // must say `off` explicitly.
        sb.Append("FwMark = ").Append(device.Fwmark == 0 ? "off" : "0x" + device.Fwmark.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var peer in device.Peers)
        {
            sb.Append("\n[Peer]\n");
            sb.Append("PublicKey = ").Append(peer.PublicKey).Append('\n');
            if (peer.PresharedKey is { } psk) sb.Append("PresharedKey = ").Append(psk.Value).Append('\n');
            if (peer.Endpoint is { } ep) sb.Append("Endpoint = ").Append(ep).Append('\n');
            if (peer.AllowedIps.Count > 0) sb.Append("AllowedIPs = ").Append(string.Join(", ", peer.AllowedIps)).Append('\n');
            if (peer.PersistentKeepalive > 0)
                sb.Append("PersistentKeepalive = ").Append(peer.PersistentKeepalive.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }
}
