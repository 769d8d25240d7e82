using BranchConnector.Agent.Config;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>The chosen WireGuard implementation and, for the doctor and Inform, why.</summary>
public sealed record WgImplementationChoice(WgImplementation Implementation, string Reason)
{
    public string Name => Implementation == WgImplementation.Kernel ? "kernel" : "userspace";
}

/// <summary>
/// Probes like wg-quick: try to create a kernel WireGuard link (a throwaway name, deleted at once); when the
/// kernel refuses, fall back to the userspace command if it and /dev/net/tun are there.
/// </summary>
public static class WgImplementationProbe
{
    public static async Task<WgImplementationChoice> ProbeAsync(ICommandRunner runner, WireGuardSettings settings, CancellationToken ct)
    {
        if (settings.Implementation == WireGuardImplementation.Kernel)
            return new(WgImplementation.Kernel, "configured: kernel");
        if (settings.Implementation == WireGuardImplementation.Userspace)
            return new(WgImplementation.Userspace, $"configured: userspace ({settings.UserspaceCommand})");

        var probeName = $"bcprobe{Environment.ProcessId % 100000}";
        var add = await runner.RunAsync(new CommandRequest("ip", ["link", "add", "dev", probeName, "type", "wireguard"]) { Mutates = true }, ct).ConfigureAwait(false);
        if (add.Succeeded)
        {
            await runner.RunAsync(new CommandRequest("ip", ["link", "del", "dev", probeName]) { Mutates = true }, ct).ConfigureAwait(false);
            return new(WgImplementation.Kernel, "kernel module available");
        }
        var why = add.Stderr.Contains("Unknown device type", StringComparison.Ordinal) ? "no wireguard kernel module" : add.Stderr.Trim();
        if (!File.Exists("/dev/net/tun"))
            return new(WgImplementation.Userspace, $"{why}; /dev/net/tun missing, userspace will fail too");
        return new(WgImplementation.Userspace, $"{why}; using {settings.UserspaceCommand}");
    }
}
