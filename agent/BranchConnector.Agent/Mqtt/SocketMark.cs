using System.Net.Sockets;

namespace BranchConnector.Agent.Mqtt;

/// <summary>
/// SO_MARK on the agent's own sockets (needs CAP_NET_ADMIN, which the agent has). With a full tunnel the
/// policy rule `not fwmark M table T` lets packets carrying the tunnel's mark M use the main table, so the
/// control plane (MQTT, STUN) always leaves by the WAN, as Tailscale marks its control traffic. Set before
/// connect or send, so the very first packet is routed that way.
/// </summary>
public static class SocketMark
{
    private const int SolSocket = 1;
    private const int SoMark = 36;

    public static void Apply(Socket socket, uint mark) =>
        socket.SetRawSocketOption(SolSocket, SoMark, BitConverter.GetBytes(mark));

    /// <summary>
    /// Marks when the process may (CAP_NET_ADMIN; the daemon always has it). Without it the socket stays unmarked
    /// and works as before, which is all a full tunnel could not use anyway: returns false then.
    /// </summary>
    public static bool TryApply(Socket socket, uint mark)
    {
        try
        {
            Apply(socket, mark);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The socket's mark as the kernel holds it (tests).</summary>
    public static uint Read(Socket socket)
    {
        var value = new byte[4];
        socket.GetRawSocketOption(SolSocket, SoMark, value);
        return BitConverter.ToUInt32(value);
    }

    /// <summary>A UDP socket factory (STUN) whose sockets carry <paramref name="mark"/>: the NAT mapping is the WAN's, never the hub's.</summary>
    public static Func<AddressFamily, Socket> UdpFactory(uint mark) => family =>
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        TryApply(socket, mark);
        return socket;
    };
}
