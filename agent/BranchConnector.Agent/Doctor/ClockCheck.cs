using System.Globalization;
using BranchConnector.Agent.Health.Time;
using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Doctor;

/// <summary>Clock offset against the controller (measured by the running daemon) and the local NTP sync state.</summary>
public sealed class ClockCheck(TimeReport? measuredByDaemon, Func<CancellationToken, Task<bool?>> ntpSynchronized) : IDoctorCheck
{
    public const string Offset = "clock offset";
    public const string Ntp = "ntp";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct) =>
        [OffsetVerdict(measuredByDaemon), NtpVerdict(await ntpSynchronized(ct).ConfigureAwait(false))];

    public static CheckResult OffsetVerdict(TimeReport? time)
    {
        if (time?.OffsetMs is not { } offset)
            return CheckResult.Warn(Offset, "unknown", "the daemon measures it against the controller: start the agent and let it connect to the broker");
        var text = string.Create(CultureInfo.InvariantCulture, $"{offset / 1000.0:+0.000;-0.000;0.000} s against the controller");
        // A warning, as everywhere the agent shows health (spec): the tunnels still work, the controller may not.
        return Math.Abs(offset) > TimeHealth.WarningThresholdMs
            ? CheckResult.Warn(Offset, text, "the controller tolerates 5 s: enable NTP (timedatectl set-ntp true) and check the NTP servers are reachable")
            : CheckResult.Ok(Offset, text);
    }

    public static CheckResult NtpVerdict(bool? synchronized) => synchronized switch
    {
        true => CheckResult.Ok(Ntp, "synchronized"),
        false => CheckResult.Warn(Ntp, "not synchronized", "enable NTP (timedatectl set-ntp true) and allow UDP 123 to the NTP servers"),
        null => CheckResult.Warn(Ntp, "unknown (timedatectl did not say)", "check the time service of this box by hand"),
    };
}
