using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>Picks the address of a configured server that the query socket can reach (same family, or IPv4 on a dual-mode socket).</summary>
internal static class StunServerResolver
{
    /// <summary>Null when the name does not resolve to a usable address: that server simply gets no request.</summary>
    public static async Task<IPEndPoint?> ResolveAsync(Endpoint server, Socket socket, CancellationToken cancellationToken)
    {
        if (server.Port is < 1 or > 65535 || string.IsNullOrWhiteSpace(server.Host)) return null;
        var host = server.Host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        var usable = addresses
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .FirstOrDefault(a => a.AddressFamily == socket.AddressFamily
                || (socket.AddressFamily == AddressFamily.InterNetworkV6 && socket.DualMode && a.AddressFamily == AddressFamily.InterNetwork));
        return usable is null ? null : new IPEndPoint(usable, server.Port);
    }
}
