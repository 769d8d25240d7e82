using System.Globalization;
using BranchConnector.Agent.Linux;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>
/// BC-MSS (mangle, from FORWARD): SYNs leaving a tunnel are clamped to the path MTU; SYNs arriving from a tunnel
/// are clamped to the tunnel's own MTU (the LAN route's MTU would not shrink them), so LAN hosts never send
/// segments the tunnel must fragment.
/// </summary>
internal static class MssRenderer
{
    private const string Syn = "-m tcp --tcp-flags SYN,RST SYN";

    public static List<string> Render(IpFamily family, IReadOnlyList<TunnelInterface> tunnels)
    {
        var headers = family == IpFamily.V4 ? 40 : 60;
        var lines = new List<string>();
        foreach (var tunnel in tunnels)
        {
            lines.Add(new RuleText(OwnChain.Mss).Out(tunnel.Name).Protocol("tcp").Match(Syn).Jump("TCPMSS --clamp-mss-to-pmtu"));
            var mss = (tunnel.Mtu - headers).ToString(CultureInfo.InvariantCulture);
            lines.Add(new RuleText(OwnChain.Mss).In(tunnel.Name).Protocol("tcp").Match(Syn).Jump("TCPMSS --set-mss " + mss));
        }
        return lines;
    }
}
