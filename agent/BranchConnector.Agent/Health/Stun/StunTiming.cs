namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// Retransmission schedule of one STUN transaction over UDP (RFC 8489 6.2.1): the request is sent up to
/// <see cref="MaxRequests"/> (Rc) times, the wait doubling from <see cref="InitialRto"/>; after the last one the
/// client waits <see cref="FinalWaitFactor"/> (Rm) times the initial RTO before giving up.
/// </summary>
public sealed record StunTiming(TimeSpan InitialRto, int MaxRequests, int FinalWaitFactor)
{
    /// <summary>RTO 500 ms, Rc 7, Rm 16: sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, gives up at 39.5 s.</summary>
    public static readonly StunTiming Rfc8489 = new(TimeSpan.FromMilliseconds(500), 7, 16);

    /// <summary>How long to wait after request number <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan WaitAfter(int attempt) =>
        attempt >= MaxRequests - 1 ? InitialRto * FinalWaitFactor : InitialRto * (1L << Math.Min(attempt, 30));

    /// <summary>From the first request until the transaction times out.</summary>
    public TimeSpan TransactionTimeout =>
        Enumerable.Range(0, MaxRequests).Aggregate(TimeSpan.Zero, (sum, attempt) => sum + WaitAfter(attempt));

    public void Validate()
    {
        if (InitialRto <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(InitialRto), "must be positive");
        if (MaxRequests is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(MaxRequests), "1 to 16 requests");
        if (FinalWaitFactor < 1) throw new ArgumentOutOfRangeException(nameof(FinalWaitFactor), "at least 1");
    }
}
