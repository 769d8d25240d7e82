using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BranchConnector.Agent.Mqtt;

/// <summary>
/// libmosquitto opens and connects its socket itself, so the agent cannot mark it before the SYN leaves (marking
/// it afterwards would route the handshake of a reconnect into a full tunnel). It does speak SOCKS5, though:
/// this in-process relay on 127.0.0.1 accepts libmosquitto's CONNECT requests and makes the real connection
/// from a socket marked before connect. TLS stays end to end (libmosquitto verifies the broker's name). A
/// failed connect is answered with the SOCKS reply that matches the socket error, so libmosquitto reports
/// the same errno ("Connection refused", …) as without the relay. Loopback traffic never enters a tunnel.
/// Only the agent's own libmosquitto may use it: a local process that could would get connections out of the
/// tunnel, so every client must present a random per-run password (RFC 1929) that never leaves the process.
/// </summary>
public sealed class MarkedConnectProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly uint _mark;
    private readonly TimeSpan _connectTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public MarkedConnectProxy(uint mark, TimeSpan connectTimeout)
    {
        _mark = mark;
        _connectTimeout = connectTimeout;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(8);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptLoopAsync(_stop.Token);
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public string Username => "branch-connector";

    /// <summary>Random for each relay; handed to libmosquitto only (never logged).</summary>
    public string Password { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using var _ = client;
        Socket? upstream = null;
        try
        {
            var target = await ReadRequestAsync(client, Password, ct).ConfigureAwait(false);
            if (target is null) return;
            (upstream, var reply) = await ConnectMarkedAsync(target.Value.Host, target.Value.Port, ct).ConfigureAwait(false);
            await client.SendAsync(Reply(reply), SocketFlags.None, ct).ConfigureAwait(false);
            if (upstream is null) return;
            // Not cancelled with the relay: a DISCONNECT written just before shutdown still reaches the broker;
            // the pumps end when either side closes.
            var up = PumpAsync(client, upstream, CancellationToken.None);
            var down = PumpAsync(upstream, client, CancellationToken.None);
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ends; libmosquitto sees it closed and reconnects as it would without the relay.
        }
        finally
        {
            upstream?.Dispose();
        }
    }

    /// <summary>The SOCKS5 greeting (only user/password), the password check and a CONNECT request; null when it is anything else.</summary>
    private static async Task<(string Host, int Port)?> ReadRequestAsync(Socket client, string password, CancellationToken ct)
    {
        var head = await ReadExactlyAsync(client, 2, ct).ConfigureAwait(false);
        if (head[0] != 5) return null;
        var methods = await ReadExactlyAsync(client, head[1], ct).ConfigureAwait(false);
        if (!methods.Contains((byte)2))
        {
            await client.SendAsync(new byte[] { 5, 0xFF }, SocketFlags.None, ct).ConfigureAwait(false);
            return null;
        }
        await client.SendAsync(new byte[] { 5, 2 }, SocketFlags.None, ct).ConfigureAwait(false);
        var version = await ReadExactlyAsync(client, 2, ct).ConfigureAwait(false);
        await ReadExactlyAsync(client, version[1], ct).ConfigureAwait(false);
        var offered = await ReadExactlyAsync(client, (await ReadExactlyAsync(client, 1, ct).ConfigureAwait(false))[0], ct).ConfigureAwait(false);
        var accepted = version[0] == 1 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(offered, Encoding.ASCII.GetBytes(password));
        await client.SendAsync(new byte[] { 1, accepted ? (byte)0 : (byte)1 }, SocketFlags.None, ct).ConfigureAwait(false);
        if (!accepted) return null;

        var request = await ReadExactlyAsync(client, 4, ct).ConfigureAwait(false);
        if (request[0] != 5 || request[1] != 1)
        {
            await client.SendAsync(Reply(7), SocketFlags.None, ct).ConfigureAwait(false);
            return null;
        }
        string host;
        switch (request[3])
        {
            case 1: host = new IPAddress(await ReadExactlyAsync(client, 4, ct).ConfigureAwait(false)).ToString(); break;
            case 4: host = new IPAddress(await ReadExactlyAsync(client, 16, ct).ConfigureAwait(false)).ToString(); break;
            case 3:
                var length = (await ReadExactlyAsync(client, 1, ct).ConfigureAwait(false))[0];
                host = Encoding.ASCII.GetString(await ReadExactlyAsync(client, length, ct).ConfigureAwait(false));
                break;
            default:
                await client.SendAsync(Reply(8), SocketFlags.None, ct).ConfigureAwait(false);
                return null;
        }
        var port = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(client, 2, ct).ConfigureAwait(false));
        return (host, port);
    }

    /// <summary>Tries every address of the host, each from a socket marked before connect.</summary>
    private async Task<(Socket?, byte)> ConnectMarkedAsync(string host, int port, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return (null, 4);
        }
        byte reply = 4;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                SocketMark.TryApply(socket, _mark);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_connectTimeout);
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
                return (socket, 0);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                if (ct.IsCancellationRequested) throw;
                reply = ex is SocketException se ? ReplyFor(se.SocketErrorCode) : (byte)6;
            }
        }
        return (null, reply);
    }

    /// <summary>RFC 1928 reply codes; SOCKS clients turn them back into ENETUNREACH, EHOSTUNREACH, ECONNREFUSED.</summary>
    private static byte ReplyFor(SocketError error) => error switch
    {
        SocketError.NetworkUnreachable => 3,
        SocketError.HostUnreachable => 4,
        SocketError.ConnectionRefused => 5,
        SocketError.TimedOut => 6,
        _ => 1,
    };

    private static byte[] Reply(byte code) => [5, code, 0, 1, 0, 0, 0, 0, 0, 0];

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0) break;
                var sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, ct).ConfigureAwait(false);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) throw new IOException("the SOCKS client closed the connection");
            read += n;
        }
        return buffer;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
