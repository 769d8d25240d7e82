using System.Net;
using System.Net.Sockets;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// The local transport address to compare a mapping with: the socket's own address when bound to one,
/// otherwise the source address the kernel picks towards the server (learned by connecting a second UDP
/// socket, which sends nothing) with the query socket's port.
/// </summary>
internal static class LocalEndPointProbe
{
    public static IPEndPoint? Learn(Socket socket, IPEndPoint towards, Func<AddressFamily, Socket> socketFactory)
    {
        if (socket.LocalEndPoint is not IPEndPoint bound) return null;
        if (!bound.Address.Equals(IPAddress.Any) && !bound.Address.Equals(IPAddress.IPv6Any)) return NatClassifier.Normalize(bound);
        try
        {
            using var probe = socketFactory(socket.AddressFamily);
            if (socket.AddressFamily == AddressFamily.InterNetworkV6) probe.DualMode = socket.DualMode;
            probe.Connect(towards);
            return probe.LocalEndPoint is IPEndPoint source
                ? NatClassifier.Normalize(new IPEndPoint(source.Address, bound.Port))
                : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
