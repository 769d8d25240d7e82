using BranchConnector.Agent.Desired;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// Reads the agent's SA counters from the kernel (`ip xfrm state list nokeys`) every
/// <see cref="SaSequences.PersistInterval"/> and once at stop, and raises the sequence record to them. What a
/// crash loses between two reads is what <see cref="SaSequences.Margin"/> covers.
/// </summary>
public sealed class SequenceRecorder(ICommandRunner runner, SequenceRecordStore store, Func<DesiredPeering> peering, ILogger<SequenceRecorder> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(SaSequences.PersistInterval);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            await RecordOnceAsync(ct).ConfigureAwait(false);
    }

    public async Task RecordOnceAsync(CancellationToken ct)
    {
        try
        {
            var result = await runner.RunAsync(XfrmStateParser.RequestWithoutKeys, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                logger.LogWarning("IPSec sequence record: {Result}", result.Describe());
                return;
            }
            var readings = Readings(XfrmIntent.From(peering()), XfrmStateParser.Parse(result.Stdout), store.Snapshot().Recorded.Keys);
            await store.RecordAsync(readings, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // The next tick tries again; until then the margin covers the gap (docs/xfrm.md).
            logger.LogError("IPSec sequence record not written: {Message}", ex.Message);
        }
    }

    /// <summary>
    /// The counters of the SAs the record names: those the document wants, and those recorded before that are still
    /// installed (a rekey's retiring SA keeps sending until it goes). Outbound: the last number sent; inbound: the
    /// highest received.
    /// </summary>
    public static Dictionary<SaSequenceKey, ulong> Readings(XfrmIntent intent, IReadOnlyList<ObservedSa> observed, IEnumerable<SaSequenceKey> recorded)
    {
        var bySa = new Dictionary<SaKey, ObservedSa>();
        foreach (var o in observed) bySa.TryAdd(o.Identity, o);
        var readings = new Dictionary<SaSequenceKey, ulong>();
        foreach (var key in intent.Sas.Select(SaSequenceKey.Of).Concat(recorded).Distinct())
        {
            if (!bySa.TryGetValue(new SaKey(key.Destination, key.Spi), out var live)) continue;
            var value = key.Direction == SaDirection.Outbound ? live.OutboundSequence : live.InboundSequence;
            if (value is { } v) readings[key] = v;
        }
        return readings;
    }
}
