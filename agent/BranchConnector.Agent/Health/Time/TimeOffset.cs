namespace BranchConnector.Agent.Health.Time;

/// <summary>
/// Clock offset and round trip from one TimeRequest/TimeReply exchange, NTP style. All four stamps are unix
/// milliseconds: t0 agent send, t1 hub receive, t2 hub send, t3 agent receive. A positive offset means the
/// hub's clock is ahead of ours. Integer halves truncate toward zero (sub-millisecond precision is noise here).
/// </summary>
public readonly record struct TimeOffset(long OffsetMs, long RttMs)
{
    public static TimeOffset Compute(long t0, long t1, long t2, long t3) =>
        new(((t1 - t0) + (t2 - t3)) / 2, (t3 - t0) - (t2 - t1));
}
