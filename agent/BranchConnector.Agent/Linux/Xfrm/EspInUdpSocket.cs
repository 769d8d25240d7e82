using System.Net;
using System.Net.Sockets;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// The UDP socket that receives ESP-in-UDP for one listen port. With UDP_ENCAP_ESPINUDP set, the kernel takes
/// every datagram that starts with a non-zero SPI off this socket and hands it to xfrm for decryption; without
/// an open socket the port is closed and inbound encapsulated ESP is answered with ICMP port unreachable. The
/// agent never reads from it (IKE would; there is none): it only has to stay open.
/// </summary>
public sealed class EspInUdpSocket : IDisposable
{
    public const int SolUdp = 17;
    public const int UdpEncap = 100;
    public const int UdpEncapEspInUdp = 2;

    private readonly Socket _socket;

    public int Port { get; }

    private EspInUdpSocket(Socket socket, int port)
    {
        _socket = socket;
        Port = port;
    }

    /// <summary>
    /// Binds 0.0.0.0:<paramref name="port"/> and sets UDP_ENCAP. <paramref name="create"/> makes the raw IPv4 UDP
    /// socket (tests create it inside a network namespace); the default is an ordinary one.
    /// </summary>
    public static EspInUdpSocket Open(int port, Func<Socket>? create = null)
    {
        var socket = create is null ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) : create();
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            socket.SetRawSocketOption(SolUdp, UdpEncap, BitConverter.GetBytes(UdpEncapEspInUdp));
            return new EspInUdpSocket(socket, port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The UDP_ENCAP value the kernel holds for the socket (2 = espinudp).</summary>
    public int EncapType()
    {
        var value = new byte[sizeof(int)];
        _socket.GetRawSocketOption(SolUdp, UdpEncap, value);
        return BitConverter.ToInt32(value);
    }

    public void Dispose() => _socket.Dispose();
}
