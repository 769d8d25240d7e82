using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.Xfrm;

public enum EspAvailability { Present, Missing, Unknown }

/// <summary>The probe's answer; <see cref="Detail"/> says why (the kernel's own words when it refused).</summary>
public sealed record EspProbeResult(EspAvailability Availability, string Detail);

/// <summary>
/// Whether the kernel can hold the agent's ESP states. The probe does what an apply does: it adds one
/// throwaway `rfc4106(gcm(aes))` espinudp tunnel SA, in a private network namespace (`unshare --net`) that
/// vanishes with the process, so the host's xfrm state is never touched. Reading /proc/crypto or
/// /sys/module/esp4 is not reliable: algorithms and modules appear there only once loaded (the kernel loads
/// them on first use), and a built-in esp4 without parameters has no /sys/module entry at all.
/// </summary>
public static class EspSupport
{
    public const string MissingMessage = "kernel lacks ESP support (esp4)";

    /// <summary>A zero key for the throwaway SA: it never leaves the private namespace, so it is no secret.</summary>
    private static readonly string ProbeLine =
        $"xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00000001 reqid {XfrmBands.ReqidFirst} mode tunnel" +
        $" aead '{XfrmRenderer.Aead}' 0x{new string('0', 72)} {XfrmRenderer.IcvBits} encap {XfrmRenderer.EncapType} 4500 4500 0.0.0.0\n";

    public static readonly CommandRequest ProbeRequest = new("unshare", ["--net", "ip", "-batch", "-"]) { Stdin = ProbeLine };

    public static async Task<EspProbeResult> ProbeAsync(ICommandRunner runner, CancellationToken ct)
    {
        var result = await runner.RunAsync(ProbeRequest, ct).ConfigureAwait(false);
        if (result.Succeeded) return new EspProbeResult(EspAvailability.Present, "a throwaway rfc4106(gcm(aes)) espinudp SA was accepted");
        return ExplainFailure(result.Stderr) is { } missing
            ? new EspProbeResult(EspAvailability.Missing, missing)
            : new EspProbeResult(EspAvailability.Unknown, "the probe could not run: " + result.Describe());
    }

    /// <summary>
    /// The failure text for an `ip xfrm state add` that failed because the kernel has no ESP, or null for any
    /// other failure. The kernel checks the AEAD algorithm before the ESP type, so a kernel without esp4 (and
    /// its crypto) answers "Requested AEAD algorithm not found"; one with the crypto but no esp4 answers
    /// "Requested type not found"; older kernels without extended acks only give "Protocol not supported".
    /// </summary>
    public static string? ExplainFailure(string stderr)
    {
        if (stderr.Contains("Requested type not found", StringComparison.Ordinal)
            || stderr.Contains("Protocol not supported", StringComparison.Ordinal))
            return MissingMessage;
        if (stderr.Contains("Requested AEAD algorithm not found", StringComparison.Ordinal))
            return $"{MissingMessage}: the kernel has no {XfrmRenderer.Aead} for ESP";
        return null;
    }
}
