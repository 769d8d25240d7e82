using System.Net.Sockets;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>One port that could not be opened (typically an IKE daemon already holds it).</summary>
public sealed record EspSocketProblem(int Port, string Message);

/// <summary>
/// Holds one <see cref="EspInUdpSocket"/> per IPSec listen port: <see cref="Sync"/> opens the ports that
/// appeared and closes the ones that went, keeping the rest open (closing and reopening would drop
/// datagrams in between). Not thread-safe: call it from the apply loop only.
/// </summary>
public sealed class EspInUdpSockets(Func<int, EspInUdpSocket>? open = null) : IDisposable
{
    private readonly Func<int, EspInUdpSocket> _open = open ?? (port => EspInUdpSocket.Open(port));
    private readonly SortedDictionary<int, EspInUdpSocket> _sockets = [];

    public IReadOnlyCollection<int> OpenPorts => _sockets.Keys;

    /// <summary>Opens and closes sockets so exactly <paramref name="ports"/> are held; returns the ports that failed to open.</summary>
    public IReadOnlyList<EspSocketProblem> Sync(IEnumerable<int> ports)
    {
        var wanted = ports.ToHashSet();
        foreach (var gone in _sockets.Keys.Where(p => !wanted.Contains(p)).ToList())
        {
            _sockets[gone].Dispose();
            _sockets.Remove(gone);
        }
        var problems = new List<EspSocketProblem>();
        foreach (var port in wanted.Where(p => !_sockets.ContainsKey(p)).Order())
        {
            try
            {
                _sockets[port] = _open(port);
            }
            catch (SocketException ex)
            {
                problems.Add(new EspSocketProblem(port, $"cannot open the ESP-in-UDP socket on udp/{port}: {ex.Message}"));
            }
        }
        return problems;
    }

    public void Dispose()
    {
        foreach (var socket in _sockets.Values) socket.Dispose();
        _sockets.Clear();
    }
}
