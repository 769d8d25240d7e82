using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Hosting;

/// <summary>The box-side facts intent compilation needs: our public keys, DNS, path MTU, relay decisions.</summary>
public sealed class IntentEnvironment(KeyStore keys, EndpointResolver resolver, ICommandRunner runner, bool manageFirewall) : IIntentEnvironment
{
    private volatile IReadOnlySet<string> _relayed = new HashSet<string>();

    public bool ManageFirewall => manageFirewall;
    public IReadOnlySet<string> RelayedMembers => _relayed;

    public void SetRelayed(IReadOnlySet<string> members) => _relayed = members;

    public string PublicKeyFor(string keyName) =>
        keys.ReadPublicKey(keyName) ?? throw new InvalidOperationException($"no {keyName} key pair");

    public Task<EndpointResolver.Resolution> ResolveAsync(Endpoint endpoint, CancellationToken ct) => resolver.ResolveAsync(endpoint, ct);

    public Task<int> MtuTowardsAsync(System.Net.IPAddress? endpointAddress, CancellationToken ct) => WgMtu.ForEndpointAsync(runner, endpointAddress, ct);
}
