using System.Text;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.BugReport;

/// <summary>
/// The agent's own kernel objects as the tools print them, read-only: its tunnel links and their addresses,
/// proto 188 routes, its policy rules, its BC-* chains, its xfrm states and policies, and `wg show` of its
/// WireGuard devices. Each file starts every section with the command that produced it; a command that failed
/// leaves its exit code and stderr in place of the output.
/// </summary>
public sealed class KernelObjects(ICommandRunner runner)
{
    public async Task<IReadOnlyList<ReportFile>> CollectAsync(IReadOnlyList<string> devices, FirewallBackend? firewall, CancellationToken ct)
    {
        var files = new List<ReportFile>
        {
            new("kernel/links.txt", await PerDeviceAsync(devices, d => ["-d", "link", "show", "dev", d], ct).ConfigureAwait(false)),
            new("kernel/addresses.txt", await PerDeviceAsync(devices, d => ["addr", "show", "dev", d], ct).ConfigureAwait(false)),
            new("kernel/routes.txt", await SectionsAsync(
                [CommandRequest.Of("ip", "-4", "route", "show", "table", "all", "proto", "188"), CommandRequest.Of("ip", "-6", "route", "show", "table", "all", "proto", "188")], null, ct).ConfigureAwait(false)),
            new("kernel/rules.txt", await SectionsAsync(
                [CommandRequest.Of("ip", "-4", "rule", "show"), CommandRequest.Of("ip", "-6", "rule", "show")], OwnedText.Rules, ct).ConfigureAwait(false)),
            new("kernel/xfrm-states.txt", await SectionsAsync([CommandRequest.Of("ip", "xfrm", "state", "list")], OwnedText.XfrmStates, ct).ConfigureAwait(false)),
            new("kernel/xfrm-policies.txt", await SectionsAsync([CommandRequest.Of("ip", "xfrm", "policy", "list")], OwnedText.XfrmPolicies, ct).ConfigureAwait(false)),
            new("kernel/wg-show.txt", await SectionsAsync(devices.Select(d => CommandRequest.Of("wg", "show", d)).ToList(), WithoutKeyLines, ct).ConfigureAwait(false)),
        };
        files.Add(new("kernel/iptables.txt", firewall is null
            ? "# no iptables backend found (or firewall.manage is false): no chains of the agent to show\n"
            : await SectionsAsync([CommandRequest.Of(firewall.SaveV4), CommandRequest.Of(firewall.SaveV6)], OwnedText.Chains, ct).ConfigureAwait(false)));
        return files;
    }

    /// <summary>`wg show` hides private and preshared keys as "(hidden)"; the lines go altogether.</summary>
    private static string WithoutKeyLines(string text) =>
        string.Concat(text.Split('\n').Where(l => !l.TrimStart().StartsWith("private key:", StringComparison.Ordinal)
            && !l.TrimStart().StartsWith("preshared key:", StringComparison.Ordinal)).Select(l => l + "\n")).TrimEnd('\n') + "\n";

    private Task<string> PerDeviceAsync(IReadOnlyList<string> devices, Func<string, string[]> args, CancellationToken ct) =>
        devices.Count == 0
            ? Task.FromResult("# the agent owns no tunnel device (ownership journal and status are empty)\n")
            : SectionsAsync(devices.Select(d => CommandRequest.Of("ip", args(d))).ToList(), null, ct);

    private async Task<string> SectionsAsync(IReadOnlyList<CommandRequest> requests, Func<string, string>? filter, CancellationToken ct)
    {
        var text = new StringBuilder();
        if (requests.Count == 0) text.Append("# the agent owns no WireGuard device\n");
        foreach (var request in requests)
        {
            text.Append("# ").Append(request.CommandLine);
            if (filter is not null) text.Append("  (only the agent's own objects)");
            text.Append('\n');
            // A missing tool comes back as exit 127 with "cannot start …": named in the file like any failure.
            var result = await runner.RunAsync(request with { Timeout = TimeSpan.FromSeconds(10) }, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                text.Append("# failed: ").Append(result.Describe()).Append("\n\n");
                continue;
            }
            var output = filter is null ? result.Stdout : filter(result.Stdout);
            text.Append(output.Length == 0 ? "# (none)\n" : output);
            if (!output.EndsWith('\n') && output.Length > 0) text.Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }
}
