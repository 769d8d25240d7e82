using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Agent.Doctor;

/// <summary>Kernel or userspace WireGuard, and why; userspace needs /dev/net/tun.</summary>
public sealed class WireGuardCheck(Func<CancellationToken, Task<WgImplementationChoice>> probe, Func<bool> tunPresent) : IDoctorCheck
{
    public const string Name = "wireguard";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct) =>
        [Verdict(await probe(ct).ConfigureAwait(false), tunPresent())];

    public static CheckResult Verdict(WgImplementationChoice choice, bool tunPresent)
    {
        var text = $"{choice.Name} ({choice.Reason})";
        if (choice.Implementation == WgImplementation.Kernel) return CheckResult.Ok(Name, text);
        return tunPresent
            ? CheckResult.Ok(Name, text + "; /dev/net/tun present")
            : CheckResult.Fail(Name, text + "; /dev/net/tun missing", "load the tun module (modprobe tun) or give the container /dev/net/tun");
    }
}
