using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace BranchConnector.Agent.Mqtt;

/// <summary>
/// Opens the broker connection for MQTTnet (its stream-provider hook): every address of the host in turn, each
/// from a socket that carries the control-plane fwmark before connect, so even the SYN of a reconnect leaves by
/// the WAN when a full tunnel is up (spec: protocol.md, wireguard). MQTTnet wraps the stream in TLS itself,
/// with the broker's host name for SNI and verification, so TLS stays end to end.
/// </summary>
internal sealed class MarkedSocketConnector(uint? mark, TimeSpan connectTimeout) : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var (host, port) = brokerEndPoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new ArgumentException($"unsupported broker end point {brokerEndPoint}", nameof(brokerEndPoint)),
        };
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // Without CAP_NET_ADMIN (tests run unprivileged parts) the socket stays unmarked, as a box
                // without a full tunnel needs no mark anyway.
                if (mark is { } m) SocketMark.TryApply(socket, m);
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(connectTimeout);
                await socket.ConnectAsync(new IPEndPoint(address, port), limit.Token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                last = new SocketException((int)SocketError.TimedOut);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
