using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Tests.Routes;

namespace BranchConnector.Tests.Xfrm;

/// <summary>Sequence numbers across restarts (docs/xfrm.md): where an SA installed again starts, and when it is refused.</summary>
public class XfrmSequenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DesiredPeering One = Peerings.Of(Peerings.L1);
    private static readonly DesiredSa Out1 = XfrmIntent.From(One).Sas.Single(s => s.Direction == SaDirection.Outbound);
    private static readonly DesiredSa In1 = XfrmIntent.From(One).Sas.Single(s => s.Direction == SaDirection.Inbound);
    private static readonly SaSequenceKey OutKey = SaSequenceKey.Of(Out1);
    private static readonly SaSequenceKey InKey = SaSequenceKey.Of(In1);

    private static OutboundSequences Known(Dictionary<SaSequenceKey, ulong> recorded, params SaSequenceKey[] usedBefore) =>
        new(recorded, usedBefore.ToHashSet());

    private static string StateStdin(XfrmPlan plan) => string.Concat(plan.States.Commands.Where(c => !c.IsRemoval).Select(c => c.Request.Stdin));

    [Fact]
    public void After_a_reboot_the_outbound_sa_starts_at_the_record_plus_the_margin_and_the_inbound_window_at_its_record()
    {
        var recorded = new Dictionary<SaSequenceKey, ulong> { [OutKey] = 0x1_0000_0500, [InKey] = 0x2_0000_0010 };
        var plan = XfrmPlanner.Plan(One, ObservedXfrm.Empty, [], T0, Known(recorded, OutKey));
        GoldenText.AssertMatches("restart-after-reboot.txt", XfrmPlanText.Render(plan));
        var start = 0x1_0000_0500UL + SaSequences.Margin; // 0x1_4000_0500
        Assert.Equal(0x1_4000_0500UL, start);
        Assert.Contains("replay-window 128 replay-oseq-hi 0x00000001 replay-oseq 0x40000500 flag esn", StateStdin(plan));
        Assert.Contains("replay-window 128 replay-seq-hi 0x00000002 replay-seq 0x00000010 flag esn", StateStdin(plan));
        Assert.Equal(start, plan.SequencesBefore[OutKey]); // recorded before the install runs
        Assert.Empty(plan.RekeyNeeds);
    }

    [Fact]
    public void A_new_key_starts_at_zero_and_is_recorded_before_it_is_installed()
    {
        var plan = XfrmPlanner.Plan(One, ObservedXfrm.Empty, [], T0, OutboundSequences.None);
        Assert.DoesNotContain("replay-oseq", StateStdin(plan));
        Assert.Equal(0UL, plan.SequencesBefore[OutKey]);
        Assert.Empty(plan.RekeyNeeds);
    }

    /// <summary>Whatever the record and the live counter say, a known key is never installed at or below either.</summary>
    [Theory]
    [InlineData(0UL, null)]
    [InlineData(5UL, null)]
    [InlineData(0xffff_fff0UL, null)]
    [InlineData(0x7_ffff_ffffUL, 3UL)]
    [InlineData(100UL, 0x9_0000_0000UL)]
    [InlineData(0x9_0000_0000UL, 100UL)]
    public void A_known_key_is_never_reinstalled_at_a_lower_sequence(ulong recorded, ulong? liveOseq)
    {
        var observed = ObservedXfrm.Empty;
        if (liveOseq is { } l)
        {
            // The live SA (one from before an upgrade, without ESN) is replaced in place: the new one starts above both.
            var live = Peerings.Installed(One).States.Single(s => s.Identity == Out1.Identity) with { };
            observed = new ObservedXfrm([live with { OutboundSequence = l, Esn = false }], []);
        }
        var plan = XfrmPlanner.Plan(One, observed, [], T0, Known(new() { [OutKey] = recorded }, OutKey));
        var start = plan.SequencesBefore[OutKey];
        Assert.True(start > recorded && start > (liveOseq ?? 0), $"start {start:x} recorded {recorded:x} live {liveOseq:x}");
        Assert.Equal(Math.Max(recorded, liveOseq ?? 0) + SaSequences.Margin, start);
        Assert.Contains($"replay-oseq 0x{(uint)start:x8}", StateStdin(plan));
        Assert.Contains($"replay-oseq-hi 0x{(uint)(start >> 32):x8}", StateStdin(plan));
    }

    [Fact]
    public void A_live_sa_below_its_record_is_replaced_above_the_record()
    {
        var live = Peerings.Installed(One);
        var plan = XfrmPlanner.Plan(One, live, [], T0, Known(new() { [OutKey] = 1000 }));
        var stdin = StateStdin(plan);
        Assert.StartsWith("xfrm state delete src 198.51.100.2 dst 198.51.100.9 proto esp spi 0x0000c001\nxfrm state add src 198.51.100.2 dst 198.51.100.9", stdin);
        Assert.Contains($"replay-oseq 0x{1000 + SaSequences.Margin:x8}", stdin);
        Assert.Equal(1, plan.States.Unchanged); // the inbound one
    }

    [Fact]
    public void A_live_sa_at_or_above_its_record_is_left_alone()
    {
        var live = Peerings.Installed(One);
        live = live with { States = [.. live.States.Select(s => s.Identity == Out1.Identity ? s with { OutboundSequence = 1000 } : s)] };
        var plan = XfrmPlanner.Plan(One, live, [], T0, Known(new() { [OutKey] = 1000 }, OutKey));
        Assert.Empty(plan.States.Commands);
        Assert.Equal(2, plan.States.Unchanged);
    }

    [Fact]
    public void A_key_used_before_without_a_record_is_not_installed_and_asks_for_new_keys()
    {
        // state_dir lost its record, the last-known-good document still holds the key, the kernel was rebooted.
        var plan = XfrmPlanner.Plan(One, ObservedXfrm.Empty, [], T0, Known([], OutKey));
        var stdin = StateStdin(plan);
        Assert.DoesNotContain("spi 0x0000c001", stdin); // no outbound SA
        Assert.Contains("spi 0x0000c002", stdin); // receiving stays possible
        Assert.Equal(3, plan.Policies.ChangeCount(ChangeKind.Added)); // out policy without SA: dropped, never sent in the clear
        Assert.Equal(new RekeyNeed("l-1", 0xc001, RekeyReasons.NoSequenceRecord), Assert.Single(plan.RekeyNeeds));
        Assert.False(plan.SequencesBefore.ContainsKey(OutKey));
        Assert.Contains("link l-1", plan.RekeyNeeds[0].Describe());
        Assert.Contains("new keys requested", plan.RekeyNeeds[0].Describe());
    }

    [Fact]
    public void A_counter_near_exhaustion_is_not_installed_and_asks_for_new_keys()
    {
        var plan = XfrmPlanner.Plan(One, ObservedXfrm.Empty, [], T0, Known(new() { [OutKey] = SaSequences.Limit - SaSequences.Margin + 1 }, OutKey));
        Assert.DoesNotContain("spi 0x0000c001", StateStdin(plan));
        Assert.Equal(new RekeyNeed("l-1", 0xc001, RekeyReasons.SequenceExhausted), Assert.Single(plan.RekeyNeeds));

        var justFits = XfrmPlanner.Plan(One, ObservedXfrm.Empty, [], T0, Known(new() { [OutKey] = SaSequences.Limit - SaSequences.Margin }, OutKey));
        Assert.Equal(SaSequences.Limit, justFits.SequencesBefore[OutKey]);
        Assert.Empty(justFits.RekeyNeeds);
    }

    [Fact]
    public void A_live_sa_past_the_limit_keeps_sending_but_asks_for_new_keys()
    {
        var live = Peerings.Installed(One);
        live = live with { States = [.. live.States.Select(s => s.Identity == Out1.Identity ? s with { OutboundSequence = SaSequences.Limit + 1 } : s)] };
        var plan = XfrmPlanner.Plan(One, live, [], T0, Known(new() { [OutKey] = SaSequences.Limit }, OutKey));
        Assert.Empty(plan.States.Commands);
        Assert.Equal(RekeyReasons.SequenceExhausted, Assert.Single(plan.RekeyNeeds).Reason);
    }

    [Fact]
    public void New_keys_from_the_hub_clear_the_refusal()
    {
        var rekeyed = Peerings.Of(Peerings.L1 with { Outbound = new IpsecSa(0xc003, Peerings.Key(0x31)), Inbound = new IpsecSa(0xc004, Peerings.Key(0x32)) });
        var plan = XfrmPlanner.Plan(rekeyed, ObservedXfrm.Empty, [], T0, Known([], OutKey));
        Assert.Empty(plan.RekeyNeeds);
        Assert.Contains("spi 0x0000c003", StateStdin(plan));
    }

    [Fact]
    public void The_recorder_reads_the_counters_of_wanted_and_recorded_sas()
    {
        var observed = XfrmStateParser.Parse(GoldenText.Read("xfrm-state-esn.txt"));
        var readings = SequenceRecorder.Readings(XfrmIntent.From(One), observed, []);
        var reqid = XfrmIntent.From(One).Reqids["l-1"];
        // The golden's SAs carry another reqid but the same (destination, SPI): the kernel's identity is what counts.
        Assert.NotEqual(reqid, observed[0].Reqid);
        Assert.Equal(0x1_4000_0a2bUL, readings[OutKey]);
        Assert.Equal(0x2_0000_0010UL, readings[InKey]);

        var retired = new SaSequenceKey("l-0", SaDirection.Outbound, "198.51.100.9", 0xc001);
        var none = SequenceRecorder.Readings(XfrmIntent.From(DesiredPeering.Empty), observed, [retired]);
        Assert.Equal(0x1_4000_0a2bUL, Assert.Single(none).Value);
    }
}
