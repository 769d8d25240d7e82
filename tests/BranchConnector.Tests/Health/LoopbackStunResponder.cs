using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Health.Stun;

namespace BranchConnector.Tests.Health;

/// <summary>
/// A scriptable STUN server on 127.0.0.1 for client tests: for the n-th request (1-based) it returns the
/// datagrams to send back, each from this server's socket or from another one.
/// </summary>
internal sealed class LoopbackStunResponder : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Func<byte[], IPEndPoint, int, IEnumerable<(Socket? From, byte[] Datagram)>> _script;
    private int _requests;

    public LoopbackStunResponder(Func<byte[], IPEndPoint, int, IEnumerable<(Socket? From, byte[] Datagram)>> script)
    {
        _script = script;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = RunAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers every request correctly with the sender's address.</summary>
    public static LoopbackStunResponder Honest() => new((request, from, _) => [(null, Answer(request, from))]);

    /// <summary>A Binding success for <paramref name="request"/> carrying <paramref name="mapped"/>.</summary>
    public static byte[] Answer(byte[] request, IPEndPoint mapped, bool fingerprint = true)
    {
        var id = request.AsSpan(8, 12);
        return StunMessage.Encode(StunMessage.BindingSuccessType, id,
            [(StunMessage.XorMappedAddressAttribute, StunAddressAttribute.Encode(mapped, true, id))], fingerprint);
    }

    private async Task RunAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var n = Interlocked.Increment(ref _requests);
            var from = (IPEndPoint)received.RemoteEndPoint;
            foreach (var (sender, datagram) in _script(buffer[..received.ReceivedBytes], from, n))
                await (sender ?? _socket).SendToAsync(datagram, SocketFlags.None, from);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _socket.Dispose();
        _stop.Dispose();
    }
}
