using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// Intent compilation without touching the box or the network (`render`, golden tests): names are not resolved
/// (the endpoint is shown as given), the MTU is wg-quick's fallback, keys are the given public keys.
/// </summary>
public sealed class OfflineIntentEnvironment(IReadOnlyDictionary<string, string> publicKeys, bool manageFirewall = true) : IIntentEnvironment
{
    public bool ManageFirewall => manageFirewall;
    public IReadOnlySet<string> RelayedMembers { get; init; } = new HashSet<string>();

    public string PublicKeyFor(string keyName) => publicKeys.TryGetValue(keyName, out var key) ? key : $"({keyName} key generated on the box)";

    public Task<EndpointResolver.Resolution> ResolveAsync(Endpoint endpoint, CancellationToken ct) =>
        Task.FromResult(new EndpointResolver.Resolution(endpoint.ToString(), null));

    public Task<int> MtuTowardsAsync(System.Net.IPAddress? endpointAddress, CancellationToken ct) => Task.FromResult(WgMtu.Fallback);
}
