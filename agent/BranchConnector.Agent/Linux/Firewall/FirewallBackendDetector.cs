using BranchConnector.Agent.Config;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Firewall;

/// <summary>The detection outcome: the backend to use (null: no iptables binary works) and the rule counts seen.</summary>
public sealed record FirewallBackendDetection(FirewallBackend? Backend, int NftRules, int LegacyRules)
{
    /// <summary>"iptables-nft" | "iptables-legacy" | "none", as status and doctor report it.</summary>
    public string Name => Backend?.Name ?? FirewallBackend.NoneName;
}

/// <summary>
/// Chooses iptables-nft or iptables-legacy. <c>auto</c> follows the system's existing rules (mixing the two would
/// hide our rules from the administrator's tools): the flavour holding more rules wins, nft on a tie or when
/// both are empty. An explicit setting is used as long as its binary runs.
/// </summary>
public static class FirewallBackendDetector
{
    public static async Task<FirewallBackendDetection> DetectAsync(ICommandRunner runner, FirewallBackendChoice choice, CancellationToken cancellationToken)
    {
        var nft = choice == FirewallBackendChoice.IptablesLegacy ? null : await CountRulesAsync(runner, FirewallBackend.Nft, cancellationToken).ConfigureAwait(false);
        var legacy = choice == FirewallBackendChoice.IptablesNft ? null : await CountRulesAsync(runner, FirewallBackend.Legacy, cancellationToken).ConfigureAwait(false);
        FirewallBackend? chosen = (nft, legacy) switch
        {
            (null, null) => null,
            (not null, null) => FirewallBackend.Nft,
            (null, not null) => FirewallBackend.Legacy,
            _ => legacy > nft ? FirewallBackend.Legacy : FirewallBackend.Nft,
        };
        return new FirewallBackendDetection(chosen, nft ?? 0, legacy ?? 0);
    }

    /// <summary>Rules ("-A" lines) in the IPv4 save output, or null when the binary is missing or fails.</summary>
    private static async Task<int?> CountRulesAsync(ICommandRunner runner, FirewallBackend backend, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(CommandRequest.Of(backend.SaveV4), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) return null;
        return result.Stdout.Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal));
    }
}
