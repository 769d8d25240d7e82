using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>
/// Resolves peer endpoints at apply. Answers are cached so the periodic drift check does not re-resolve;
/// <see cref="Forget"/> drops one when the handshake has gone stale so the next plan resolves it anew.
/// A DNS failure is a warning (the peer is configured without an endpoint and shows as pending).
/// </summary>
public sealed class EndpointResolver(Func<string, CancellationToken, Task<IPAddress[]>>? lookup = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _lookup = lookup ?? Dns.GetHostAddressesAsync;
    private readonly Dictionary<string, IPAddress> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The endpoint as wg takes it (ip:port; the name as given where nothing resolves it, as in `render`), the
    /// address it resolved to (typed, for the path MTU), or why it did not.
    /// </summary>
    public sealed record Resolution(string? Address, string? Warning)
    {
        public IPAddress? Host { get; init; }

        public static Resolution Of(IPAddress host, int port) =>
            new(host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]:{port}" : $"{host}:{port}", null) { Host = host };
    }

    public async Task<Resolution> ResolveAsync(Endpoint endpoint, CancellationToken ct)
    {
        if (IPAddress.TryParse(endpoint.Host, out var literal)) return Resolution.Of(literal, endpoint.Port);
        var key = endpoint.ToString();
        lock (_cache) if (_cache.TryGetValue(key, out var cached)) return Resolution.Of(cached, endpoint.Port);
        try
        {
            var addresses = await _lookup(endpoint.Host, ct).ConfigureAwait(false);
            var pick = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (pick is null) return new(null, $"endpoint {key}: no address for {endpoint.Host}");
            lock (_cache) _cache[key] = pick;
            return Resolution.Of(pick, endpoint.Port);
        }
        catch (SocketException ex)
        {
            return new(null, $"endpoint {key}: DNS lookup failed ({ex.SocketErrorCode})");
        }
    }

    public void Forget(Endpoint endpoint)
    {
        lock (_cache) _cache.Remove(endpoint.ToString());
    }
}
