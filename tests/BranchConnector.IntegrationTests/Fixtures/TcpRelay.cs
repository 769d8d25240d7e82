using System.Net;
using System.Net.Sockets;

namespace BranchConnector.IntegrationTests.Fixtures;

/// <summary>
/// A loopback TCP forwarder in front of a broker. <see cref="SeverAll"/> resets every relayed connection at
/// once (RST, no MQTT DISCONNECT): to the broker this is exactly a client process that was killed or a link
/// that died, which is what makes it publish the last will.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void SeverAll()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                }
                catch (ObjectDisposedException) { }
            }
            _sockets.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        SeverAll();
        try { await _accepting; } catch (OperationCanceledException) { } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                client.Close();
                upstream.Dispose();
                continue;
            }
            lock (_sockets) _sockets.AddRange([client, upstream]);
            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0) break;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // One side was severed; the other follows.
        }
    }
}
