using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BranchConnector.IntegrationTests.Mqtt;

/// <summary>
/// A minimal MQTT 5 server that accepts every CONNECT and then, as EMQX does when another client takes the
/// client id, sends DISCONNECT with reason 0x8E "session taken over". mosquitto 2.0.11 drops that packet
/// (it closes the socket first), so this is the only way to drive the reason-code path with real bytes.
/// </summary>
internal sealed class FakeTakeoverBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TimeSpan> _connects = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;

    public FakeTakeoverBroker()
    {
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public Uri Url => new($"mqtt://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>When each CONNECT arrived, since the broker started.</summary>
    public IReadOnlyList<TimeSpan> Connects { get { lock (_connects) return _connects.ToArray(); } }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { } catch (SocketException) { }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            try
            {
                if (await ReadPacketTypeAsync(socket) != 0x10) continue;
                lock (_connects) _connects.Add(_clock.Elapsed);
                await socket.SendAsync(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00 }, SocketFlags.None); // CONNACK success, no properties
                await Task.Delay(100, _stop.Token);
                await socket.SendAsync(new byte[] { 0xE0, 0x02, 0x8E, 0x00 }, SocketFlags.None);       // DISCONNECT 0x8E
                await Task.Delay(100, _stop.Token);
            }
            catch (SocketException)
            {
                // The client went away first; the next accept carries on.
            }
        }
    }

    private async Task<int> ReadPacketTypeAsync(Socket socket)
    {
        var one = new byte[1];
        if (await socket.ReceiveAsync(one, SocketFlags.None, _stop.Token) == 0) return -1;
        var type = one[0] & 0xF0;
        int length = 0, shift = 0;
        do
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, _stop.Token) == 0) return -1;
            length |= (one[0] & 0x7F) << shift;
            shift += 7;
        } while ((one[0] & 0x80) != 0);
        var body = new byte[length];
        for (var read = 0; read < length;)
        {
            var n = await socket.ReceiveAsync(body.AsMemory(read), SocketFlags.None, _stop.Token);
            if (n == 0) return -1;
            read += n;
        }
        return type;
    }
}
