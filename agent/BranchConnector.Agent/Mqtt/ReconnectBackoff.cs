namespace BranchConnector.Agent.Mqtt;

/// <summary>
/// Exponential back-off with full jitter (a uniform wait between zero and the ceiling), so a fleet of boxes
/// that lost the same broker does not come back in one wave.
/// </summary>
public static class ReconnectBackoff
{
    /// <summary>Ceiling for attempt n (0-based): min × 2^n, capped at max.</summary>
    public static TimeSpan Ceiling(int attempt, TimeSpan min, TimeSpan max)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var ticks = Math.Min((double)min.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>A full-jitter delay in [0, ceiling]; <paramref name="unit"/> is a uniform sample in [0, 1).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, double unit) =>
        TimeSpan.FromTicks((long)(Ceiling(attempt, min, max).Ticks * Math.Clamp(unit, 0, 1)));

    /// <summary>Wait after an identity conflict: between half and all of the long back-off, so two contenders drift apart.</summary>
    public static TimeSpan ConflictDelay(TimeSpan longBackoff, double unit) =>
        TimeSpan.FromTicks((long)(longBackoff.Ticks * (0.5 + 0.5 * Math.Clamp(unit, 0, 1))));
}
