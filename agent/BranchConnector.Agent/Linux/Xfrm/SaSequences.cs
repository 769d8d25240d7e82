namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// The numbers behind "never send twice under one key" (docs/xfrm.md, "Sequence numbers across restarts"). Every
/// agent SA uses extended (64-bit) sequence numbers; an outbound SA installed again starts at the recorded value
/// plus <see cref="Margin"/>, which covers what the kernel may have sent after the last record was written.
/// </summary>
public static class SaSequences
{
    /// <summary>How often the outbound counters are read from the kernel and recorded.</summary>
    public static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// 2^30 packets: 72 s of a 10 GbE port at its minimum-frame rate (14.88 Mpps), against a worst unrecorded
    /// stretch of 10 s (interval) + 30 s (WatchdogSec, a hung agent) + the write. Kept well below 2^32 so a
    /// peer that did not restart still infers the right high 32 bits from the low ones (ESN, RFC 4303 App. A).
    /// </summary>
    public const ulong Margin = 1UL << 30;

    /// <summary>An SA must have at least this many numbers left when installed (about 20 h at 14.88 Mpps), else new keys are needed.</summary>
    public const ulong Reserve = 1UL << 40;

    /// <summary>The highest start value an SA may be installed with; above it the counter is near exhaustion.</summary>
    public const ulong Limit = ulong.MaxValue - Reserve;

    /// <summary>Replay window of the inbound SA (and the outbound one: the kernel wants a window on every ESN SA).</summary>
    public const int ReplayWindow = 128;

    /// <summary>The first number an SA installed again may use: above everything it may have sent; null when that is past <see cref="Limit"/>.</summary>
    public static ulong? StartAfter(ulong recorded) => recorded > Limit - Margin ? null : recorded + Margin;
}

/// <summary>An SA as the sequence record names it: link, direction, destination and SPI, never the key.</summary>
public sealed record SaSequenceKey(string LinkId, SaDirection Direction, string Destination, uint Spi)
{
    public static SaSequenceKey Of(DesiredSa sa) => new(sa.LinkId, sa.Direction, sa.Destination, sa.Spi);

    public override string ToString() => $"link {LinkId} {(Direction == SaDirection.Inbound ? "in" : "out")} spi {XfrmRenderer.Hex(Spi)} -> {Destination}";
}

/// <summary>Why an outbound SA is not installed from the keys the agent has (wire values of `rekey_links[].reason`).</summary>
public static class RekeyReasons
{
    /// <summary>The key was used before (last-known-good document) and no sequence number was recorded for it.</summary>
    public const string NoSequenceRecord = "no_sequence_record";

    /// <summary>Starting above the recorded number would leave less than <see cref="SaSequences.Reserve"/>.</summary>
    public const string SequenceExhausted = "sequence_exhausted";
}

/// <summary>An outbound SA the agent refuses to install with its current key; the hub must send new keys for the link.</summary>
public sealed record RekeyNeed(string LinkId, uint Spi, string Reason)
{
    public string Describe() => Reason == RekeyReasons.NoSequenceRecord
        ? $"link {LinkId}: outbound SA spi {XfrmRenderer.Hex(Spi)} not installed: its key was used before and no sequence number is recorded for it (GCM nonce reuse); new keys requested"
        : $"link {LinkId}: outbound SA spi {XfrmRenderer.Hex(Spi)} not installed: its sequence numbers are near exhaustion; new keys requested";
}

/// <summary>
/// What the planner knows about sequence numbers: the record (per outbound SA the highest number sent or
/// reserved, per inbound SA the highest received) and the outbound SAs whose keys were used before (those of the
/// last-known-good document), for which a missing record means "unknown", not "new".
/// </summary>
public sealed record OutboundSequences(IReadOnlyDictionary<SaSequenceKey, ulong> Recorded, IReadOnlySet<SaSequenceKey> UsedBefore)
{
    public static readonly OutboundSequences None = new(new Dictionary<SaSequenceKey, ulong>(), new HashSet<SaSequenceKey>());
}
