using System.Globalization;

namespace BranchConnector.Agent.Health.Time;

/// <summary>
/// The Inform message's `time` object. <paramref name="NtpSynchronized"/> is null when the box cannot say
/// (no timedatectl, no systemd). The controller tolerates ±5 s, so more than that is a warning.
/// </summary>
public sealed record TimeHealth(long OffsetMs, long RttMs, bool? NtpSynchronized, DateTimeOffset CheckedAt)
{
    public const long WarningThresholdMs = 5000;

    public static TimeHealth From(TimeOffset measured, bool? ntpSynchronized, DateTimeOffset checkedAt) =>
        new(measured.OffsetMs, measured.RttMs, ntpSynchronized, checkedAt);

    public bool OffsetExceedsThreshold => Math.Abs(OffsetMs) > WarningThresholdMs;

    /// <summary>"clock offset 7.2 s exceeds 5 s", or null when within tolerance.</summary>
    public string? Warning => OffsetExceedsThreshold
        ? string.Create(CultureInfo.InvariantCulture, $"clock offset {OffsetMs / 1000.0:0.0} s exceeds {WarningThresholdMs / 1000} s")
        : null;
}
