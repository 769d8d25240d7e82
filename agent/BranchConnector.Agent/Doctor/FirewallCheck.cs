using System.Globalization;
using BranchConnector.Agent.Linux.Firewall;

namespace BranchConnector.Agent.Doctor;

/// <summary>Which iptables backend the agent would use, and whether the other one holds rules too.</summary>
public sealed class FirewallCheck(bool manage, Func<CancellationToken, Task<FirewallBackendDetection>> detect) : IDoctorCheck
{
    public const string Name = "firewall backend";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct) =>
        [manage ? Verdict(await detect(ct).ConfigureAwait(false)) : CheckResult.Ok(Name, "not managed (firewall.manage: false)")];

    public static CheckResult Verdict(FirewallBackendDetection d)
    {
        if (d.Backend is null)
            return CheckResult.Fail(Name, "no usable iptables", "install iptables (the nft or legacy variant), or set firewall.manage: false");
        var counts = string.Create(CultureInfo.InvariantCulture, $"nft rules {d.NftRules}, legacy rules {d.LegacyRules}");
        if (d.NftRules > 0 && d.LegacyRules > 0)
            return CheckResult.Warn(Name, $"{d.Name} ({counts})", "both backends hold rules: the kernel applies both; pick one (firewall.backend) and clear the other");
        return CheckResult.Ok(Name, $"{d.Name} ({counts})");
    }
}
