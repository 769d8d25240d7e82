using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>Reads the live own chains: one iptables-save process per family, all tables, nothing written.</summary>
public sealed class FirewallObserver(ICommandRunner runner, FirewallBackend backend)
{
    public async Task<ObservedFirewall> ObserveAsync(CancellationToken cancellationToken)
    {
        var v4 = await runner.RunAsync(CommandRequest.Of(backend.SaveV4), cancellationToken).ConfigureAwait(false);
        if (!v4.Succeeded) throw new InvalidOperationException("cannot read the IPv4 firewall: " + v4.Describe());
        var v6 = await runner.RunAsync(CommandRequest.Of(backend.SaveV6), cancellationToken).ConfigureAwait(false);
        // A box without IPv6 netfilter has no IPv6 rules of ours to find; a planned IPv6 restore will then fail loudly.
        var observedV6 = v6.Succeeded ? IptablesSaveParser.Parse(IpFamily.V6, v6.Stdout) : ObservedFamily.Empty(IpFamily.V6);
        return new ObservedFirewall(IptablesSaveParser.Parse(IpFamily.V4, v4.Stdout), observedV6)
        {
            Ipv6Unavailable = v6.Succeeded ? null : v6.Describe(),
        };
    }
}
