using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// Diffs the xfrm states and policies an IPSec peering needs against the agent's observed ones (pure).
///
/// Rekey, make-before-break: when a link's SPI or key changes, the new inbound SA is added first, then the
/// new outbound SA. Both directions share the link's reqid, and for an outbound lookup the kernel picks the
/// newest valid SA with the policy template's reqid, so adding the new outbound SA is the outbound switch
/// (the policy stays as it is; adding an SA also invalidates cached bundles). The replaced SAs are not
/// deleted but put into the retiring set for <see cref="RetireAfter"/>; the plan made once that time has
/// passed deletes them.
///
/// Sequence numbers: an outbound SA is installed above every number it may have used before (the record and
/// the live SA, plus <see cref="SaSequences.Margin"/>); a key used before without any record, or one near
/// exhaustion, is not installed but named in <see cref="XfrmPlan.RekeyNeeds"/>. A live outbound SA below its
/// record (someone re-added it) is replaced above the record.
/// </summary>
public static class XfrmPlanner
{
    public const string Subsystem = "peering";
    public static readonly TimeSpan RetireAfter = TimeSpan.FromSeconds(30);

    public static XfrmPlan Plan(DesiredPeering desired, ObservedXfrm observed, IReadOnlyCollection<RetiringSa> retiring, DateTimeOffset now, OutboundSequences? sequences = null)
    {
        var intent = XfrmIntent.From(desired);
        var seq = new SequenceDecisions(sequences ?? OutboundSequences.None);
        var (states, newRetiring) = PlanStates(intent, observed.States, retiring, now, seq);
        return new XfrmPlan(states, PlanPolicies(intent.Policies, observed.Policies), newRetiring)
        {
            SequencesBefore = seq.Before,
            RekeyNeeds = seq.Needs,
        };
    }

    /// <summary>cleanup and decommission: every state and policy in the agent's bands goes, at once.</summary>
    public static XfrmPlan PlanCleanup(ObservedXfrm observed) => Plan(DesiredPeering.Empty, observed, [], DateTimeOffset.MinValue);

    private static (SubsystemPlan Plan, IReadOnlyList<RetiringSa> Retiring) PlanStates(
        XfrmIntent intent, IReadOnlyList<ObservedSa> observed, IReadOnlyCollection<RetiringSa> retiring, DateTimeOffset now, SequenceDecisions seq)
    {
        var desired = DesiredIdentity.Distinct(intent.Sas, s => s.Identity, s => s with { Origin = null }, "SA", s => $"link {s.LinkId}");
        var observedByKey = new Dictionary<SaKey, ObservedSa>();
        foreach (var o in observed) observedByKey.TryAdd(o.Identity, o);
        var retiringByKey = new Dictionary<SaKey, RetiringSa>();
        foreach (var r in retiring) retiringByKey.TryAdd(r.Identity, r);

        var inbound = new List<IpBatchLine>();
        var outbound = new List<IpBatchLine>();
        var removals = new List<IpBatchLine>();
        var newRetiring = new List<RetiringSa>();
        var unchanged = 0;
        var outboundAdded = new HashSet<uint>();

        foreach (var sa in desired)
        {
            var lines = sa.Direction == SaDirection.Inbound ? inbound : outbound;
            observedByKey.TryGetValue(sa.Identity, out var live);
            if (live is not null && Matches(sa, live) && seq.LiveIsAhead(sa, live))
            {
                unchanged++;
                continue;
            }
            ulong start;
            if (sa.Direction == SaDirection.Inbound)
                start = seq.InboundFrom(sa, live);
            else
            {
                if (seq.StartFor(sa, live) is not { } s) continue; // refused: named in RekeyNeeds, the live SA (if any) stays
                start = s;
                outboundAdded.Add(sa.Reqid);
            }
            if (live is null)
                lines.Add(new(XfrmRenderer.AddSa(sa, start), new(ChangeKind.Added, Subsystem, XfrmRenderer.Describe(sa)) { Origin = sa.Origin }));
            else
            {
                // Same (destination, SPI) with another key, port or sequence state: the kernel cannot hold both, and
                // `state update` does not change keys, so this SA is replaced in place (a short break; a new SPI avoids it).
                lines.Add(new(XfrmRenderer.DeleteSa(live), new(ChangeKind.Changed, Subsystem, XfrmRenderer.Describe(sa) + " (old removed)") { Origin = sa.Origin }));
                lines.Add(new(XfrmRenderer.AddSa(sa, start), new(ChangeKind.Changed, Subsystem, XfrmRenderer.Describe(sa) + " (new added)") { Origin = sa.Origin }));
            }
        }

        var wanted = desired.Select(s => s.Identity).ToHashSet();
        var liveLinks = intent.Sas.ToLookup(s => s.Reqid);
        foreach (var o in observed.Where(o => !wanted.Contains(o.Identity) && ReferenceEquals(observedByKey[o.Identity], o)))
        {
            var remove = new IpBatchLine(XfrmRenderer.DeleteSa(o), new(ChangeKind.Removed, Subsystem, XfrmRenderer.Describe(o)));
            if (!liveLinks.Contains(o.Reqid))
                removals.Add(remove); // its link is gone: nothing can use it any more
            else if (retiringByKey.TryGetValue(o.Identity, out var r) && r.Reqid == o.Reqid)
            {
                if (r.RemoveAfter <= now) removals.Add(remove);
                else newRetiring.Add(r);
            }
            else if (IsOutboundOf(o, liveLinks[o.Reqid]) && !outboundAdded.Contains(o.Reqid))
                // An older outbound SA coming back (rekey undone): this one is newer and would stay in use.
                removals.Add(remove);
            else
                newRetiring.Add(new RetiringSa(o.Destination, o.Spi, o.Reqid, now + RetireAfter));
        }

        var commands = new List<PlannedCommand>();
        commands.AddRange(Secret(IpBatch.Plan(Stage.Xfrm, IpFamily.V4, [.. inbound, .. outbound], isRemoval: false)));
        commands.AddRange(IpBatch.Plan(Stage.Xfrm, IpFamily.V4, removals, isRemoval: true));
        var ordered = newRetiring.OrderBy(r => r.Destination, StringComparer.Ordinal).ThenBy(r => r.Spi).ToList();
        return (new SubsystemPlan(commands, unchanged), ordered);
    }

    private static SubsystemPlan PlanPolicies(IReadOnlyList<DesiredPolicy> desiredPolicies, IReadOnlyList<ObservedPolicy> observed)
    {
        var desired = DesiredIdentity.Distinct(desiredPolicies, p => p.Key, p => p with { Origin = null }, "policy", p => $"link {p.LinkId}");
        var observedByKey = new Dictionary<PolicyKey, ObservedPolicy>();
        foreach (var o in observed) observedByKey.TryAdd(o.Key, o);
        var adds = new List<IpBatchLine>();
        var removals = new List<IpBatchLine>();
        var unchanged = 0;
        foreach (var policy in desired)
        {
            if (!observedByKey.Remove(policy.Key, out var live))
                adds.Add(new(XfrmRenderer.AddPolicy(policy), new(ChangeKind.Added, Subsystem, XfrmRenderer.Describe(policy)) { Origin = policy.Origin }));
            else if (live.Unmodeled is null && live.Priority == XfrmBands.Priority && live.Templates.SequenceEqual([policy.Template]))
                unchanged++;
            else
                adds.Add(new(XfrmRenderer.UpdatePolicy(policy), new(ChangeKind.Changed, Subsystem, XfrmRenderer.Describe(policy)) { Origin = policy.Origin }));
        }
        foreach (var o in observed.Where(o => observedByKey.TryGetValue(o.Key, out var left) && ReferenceEquals(left, o)))
            removals.Add(new(XfrmRenderer.DeletePolicy(o.Key), new(ChangeKind.Removed, Subsystem, "policy " + o.Key)));
        return new SubsystemPlan(
            [.. IpBatch.Plan(Stage.Xfrm, IpFamily.V4, adds, isRemoval: false), .. IpBatch.Plan(Stage.Xfrm, IpFamily.V4, removals, isRemoval: true)],
            unchanged);
    }

    private static bool Matches(DesiredSa want, ObservedSa live) =>
        live.Unmodeled is null
        && live.Source == want.Source
        && live.Reqid == want.Reqid
        && live.Mode == XfrmIntent.Mode
        && live.Aead == XfrmRenderer.Aead
        && live.IcvBits == XfrmRenderer.IcvBits
        && live.Esn
        && live.ReplayWindow == SaSequences.ReplayWindow
        && live.KeyDigest == XfrmKeyDigest.Of(want.Key.Value)
        && live.Encap == new SaEncap(XfrmRenderer.EncapType, want.SourcePort, want.DestinationPort);

    private static bool IsOutboundOf(ObservedSa sa, IEnumerable<DesiredSa> linkSas) =>
        linkSas.Any(d => d.Direction == SaDirection.Outbound && d.Source == sa.Source && d.Destination == sa.Destination);

    /// <summary>Batches that carry SA keys: their stdin is never shown unredacted.</summary>
    private static IEnumerable<PlannedCommand> Secret(IEnumerable<PlannedCommand> commands) =>
        commands.Select(c => c with { Request = c.Request with { StdinIsSecret = true } });

}
