namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// The sequence-number side of one xfrm plan (pure): where each outbound SA starts, which ones are refused,
/// and what must be recorded before the plan runs.
/// </summary>
internal sealed class SequenceDecisions(OutboundSequences known)
{
    private readonly Dictionary<SaSequenceKey, ulong> _before = [];
    private readonly List<RekeyNeed> _needs = [];

    public IReadOnlyDictionary<SaSequenceKey, ulong> Before => _before;
    public IReadOnlyList<RekeyNeed> Needs => _needs;

    private static SaSequenceKey Key(DesiredSa sa) => SaSequenceKey.Of(sa);

    /// <summary>Where an inbound SA's window starts: the highest number received before (0 when none is recorded).</summary>
    public ulong InboundFrom(DesiredSa sa, ObservedSa? live) =>
        Math.Max(known.Recorded.TryGetValue(Key(sa), out var r) ? r : 0, live?.InboundSequence ?? 0);

    /// <summary>
    /// For a live outbound SA that otherwise matches: false when it is below the record (it was re-added at a lower
    /// number: it may be repeating nonces right now and must be replaced). A live SA near exhaustion stays (it still
    /// works) but asks for new keys.
    /// </summary>
    public bool LiveIsAhead(DesiredSa sa, ObservedSa live)
    {
        if (sa.Direction != SaDirection.Outbound) return true;
        var recorded = known.Recorded.TryGetValue(Key(sa), out var r) ? r : (ulong?)null;
        if (live.OutboundSequence is { } now && now > SaSequences.Limit) _needs.Add(new RekeyNeed(sa.LinkId, sa.Spi, RekeyReasons.SequenceExhausted));
        // No readable counter: nothing to compare, and replacing would repeat on every plan.
        return recorded is null || live.OutboundSequence is not { } seq || seq >= recorded;
    }

    /// <summary>
    /// The kernel oseq to install <paramref name="sa"/> with (0: a new key), or null when it must not be installed.
    /// <paramref name="live"/> is the SA being replaced in place, if any: its counter counts as used too.
    /// </summary>
    public ulong? StartFor(DesiredSa sa, ObservedSa? live)
    {
        var key = Key(sa);
        ulong? highest = known.Recorded.TryGetValue(key, out var r) ? r : null;
        if (live?.OutboundSequence is { } l) highest = Math.Max(highest ?? 0, l);
        if (highest is null)
        {
            // A live SA with no readable counter or a key of the last-known-good document: used before, amount unknown.
            if (live is not null || known.UsedBefore.Contains(key))
                return Refuse(sa, RekeyReasons.NoSequenceRecord);
            _before[key] = 0;
            return 0;
        }
        if (SaSequences.StartAfter(highest.Value) is not { } start) return Refuse(sa, RekeyReasons.SequenceExhausted);
        _before[key] = start;
        return start;
    }

    private ulong? Refuse(DesiredSa sa, string reason)
    {
        _needs.Add(new RekeyNeed(sa.LinkId, sa.Spi, reason));
        return null;
    }
}
