using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Tests.Routes;

namespace BranchConnector.Tests.Xfrm;

/// <summary>
/// Golden `ip -batch` input for IPSec peering documents. Regenerate with
/// `BC_UPDATE_GOLDEN=1 dotnet test tests/BranchConnector.Tests --filter FullyQualifiedName~Xfrm` and review the diff.
/// </summary>
public class XfrmPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static void AssertGolden(string name, XfrmPlan plan)
    {
        var text = XfrmPlanText.Render(plan);
        foreach (var b in new[] { 0x11, 0x12, 0x21, 0x22, 0x31, 0x32 })
            Assert.DoesNotContain(Peerings.Key(b).Value, text);
        GoldenText.AssertMatches(name, text);
    }

    [Fact]
    public void One_link_on_an_empty_kernel()
    {
        var plan = XfrmPlanner.Plan(Peerings.Of(Peerings.L1), ObservedXfrm.Empty, [], T0);
        AssertGolden("one-link.txt", plan);
        var states = Assert.Single(plan.States.Commands);
        Assert.True(states.Request.StdinIsSecret);
        Assert.Equal(["-batch", "-"], states.Request.Arguments);
        Assert.Contains($"aead 'rfc4106(gcm(aes))' 0x{Peerings.Key(0x12).Value} 128", states.Request.Stdin);
        Assert.DoesNotContain(Peerings.Key(0x12).Value, states.Request.DisplayStdin);
        Assert.False(Assert.Single(plan.Policies.Commands).Request.StdinIsSecret);
        Assert.Equal(3, plan.Policies.ChangeCount(ChangeKind.Added));
        Assert.Empty(plan.Retiring);
    }

    [Fact]
    public void Two_links_with_several_subnet_pairs()
    {
        var plan = XfrmPlanner.Plan(Peerings.Of(Peerings.L1, Peerings.L2), ObservedXfrm.Empty, [], T0);
        AssertGolden("two-links.txt", plan);
        Assert.Equal(4, plan.States.ChangeCount(ChangeKind.Added));
        Assert.Equal(3 + 2 * 2 * 3, plan.Policies.ChangeCount(ChangeKind.Added));
    }

    [Fact]
    public void Observed_equal_to_desired_plans_zero_commands()
    {
        var peering = Peerings.Of(Peerings.L1, Peerings.L2);
        var plan = XfrmPlanner.Plan(peering, Peerings.Installed(peering), [], T0);
        Assert.Empty(plan.States.Commands);
        Assert.Empty(plan.Policies.Commands);
        Assert.Empty(plan.Retiring);
        Assert.Equal(4, plan.States.Unchanged);
        Assert.Equal(15, plan.Policies.Unchanged);
        AssertGolden("idempotent.txt", plan);
    }

    [Fact]
    public void Removing_a_link_deletes_its_policies_and_states_at_once()
    {
        var both = Peerings.Of(Peerings.L1, Peerings.L2);
        var plan = XfrmPlanner.Plan(Peerings.Of(Peerings.L1), Peerings.Installed(both), [], T0);
        AssertGolden("remove-link.txt", plan);
        Assert.All(plan.States.Commands.Concat(plan.Policies.Commands), c => Assert.True(c.IsRemoval));
        Assert.Equal(2, plan.States.ChangeCount(ChangeKind.Removed));
        Assert.Equal(12, plan.Policies.ChangeCount(ChangeKind.Removed));
        Assert.Empty(plan.Retiring);
    }

    [Fact]
    public void Rekey_adds_new_inbound_first_then_outbound_and_removes_the_old_pair_after_30_seconds()
    {
        var before = Peerings.Of(Peerings.L1);
        var rekeyed = Peerings.Of(Peerings.L1 with { Outbound = new IpsecSa(0xc003, Peerings.Key(0x31)), Inbound = new IpsecSa(0xc004, Peerings.Key(0x32)) });

        var phase1 = XfrmPlanner.Plan(rekeyed, Peerings.Installed(before), [], T0);
        AssertGolden("rekey-1-make.txt", phase1);
        var lines = Assert.Single(phase1.States.Commands).Request.Stdin!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("spi 0x0000c004", lines[0]); // inbound first
        Assert.Contains("spi 0x0000c003", lines[1]);
        Assert.Empty(phase1.Policies.Commands); // the policies keep the link's reqid: nothing to switch there
        Assert.Equal(T0 + XfrmPlanner.RetireAfter, phase1.NextRemoval);

        var kernel = Peerings.Union(Peerings.Installed(rekeyed), Peerings.Installed(before));
        var meanwhile = XfrmPlanner.Plan(rekeyed, kernel, phase1.Retiring, T0.AddSeconds(29));
        Assert.Empty(meanwhile.States.Commands);
        Assert.Equal(phase1.Retiring, meanwhile.Retiring);

        var phase2 = XfrmPlanner.Plan(rekeyed, kernel, meanwhile.Retiring, T0.AddSeconds(30));
        AssertGolden("rekey-2-break.txt", phase2);
        Assert.Equal(2, phase2.States.ChangeCount(ChangeKind.Removed));
        Assert.Empty(phase2.Retiring);
        Assert.Null(phase2.NextRemoval);
    }

    [Fact]
    public void An_undone_rekey_drops_the_newer_outbound_sa_at_once()
    {
        var first = Peerings.Of(Peerings.L1);
        var second = Peerings.Of(Peerings.L1 with { Outbound = new IpsecSa(0xc003, Peerings.Key(0x31)), Inbound = new IpsecSa(0xc004, Peerings.Key(0x32)) });
        var phase1 = XfrmPlanner.Plan(second, Peerings.Installed(first), [], T0);
        var kernel = Peerings.Union(Peerings.Installed(second), Peerings.Installed(first));

        var back = XfrmPlanner.Plan(first, kernel, phase1.Retiring, T0.AddSeconds(5));
        var removal = Assert.Single(back.States.Commands);
        Assert.True(removal.IsRemoval);
        // The kernel sends with the newest outbound SA of a reqid: 0xc003 must go now, or 0xc001 would stay unused.
        Assert.Equal("xfrm state delete src 198.51.100.2 dst 198.51.100.9 proto esp spi 0x0000c003\n", removal.Request.Stdin);
        Assert.Equal(0xc004u, Assert.Single(back.Retiring).Spi);
    }

    [Fact]
    public void A_new_key_on_the_same_spi_replaces_that_sa_in_place()
    {
        var before = Peerings.Of(Peerings.L1);
        var after = Peerings.Of(Peerings.L1 with { Inbound = new IpsecSa(0xc002, Peerings.Key(0x32)) });
        var plan = XfrmPlanner.Plan(after, Peerings.Installed(before), [], T0);
        var command = Assert.Single(plan.States.Commands);
        Assert.False(command.IsRemoval);
        Assert.StartsWith("xfrm state delete src 198.51.100.9 dst 198.51.100.2 proto esp spi 0x0000c002\nxfrm state add src 198.51.100.9 dst 198.51.100.2 proto esp spi 0x0000c002 ", command.Request.Stdin);
        Assert.Equal(2, plan.States.ChangeCount(ChangeKind.Changed));
        Assert.Equal(1, plan.States.Unchanged);
    }

    [Fact]
    public void A_new_remote_address_updates_the_policies_in_place()
    {
        var before = Peerings.Of(Peerings.L1);
        var after = Peerings.Of(Peerings.L1 with { RemoteAddress = "198.51.100.10" });
        var plan = XfrmPlanner.Plan(after, Peerings.Installed(before), [], T0);
        var update = Assert.Single(plan.Policies.Commands);
        Assert.All(update.Request.Stdin!.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("xfrm policy update ", l));
        Assert.Equal(3, plan.Policies.ChangeCount(ChangeKind.Changed));
    }

    [Fact]
    public void Cleanup_removes_every_state_and_policy_in_the_bands()
    {
        var plan = XfrmPlanner.PlanCleanup(Peerings.Installed(Peerings.Of(Peerings.L1, Peerings.L2)));
        Assert.Equal(4, plan.States.ChangeCount(ChangeKind.Removed));
        Assert.Equal(15, plan.Policies.ChangeCount(ChangeKind.Removed));
        Assert.All(plan.States.Commands.Concat(plan.Policies.Commands), c => Assert.True(c.IsRemoval));
        Assert.Empty(plan.Retiring);
    }

    [Fact]
    public void Retiring_entries_whose_sa_is_gone_are_forgotten()
    {
        var peering = Peerings.Of(Peerings.L1);
        var stale = new RetiringSa("198.51.100.2", 0xbeef, XfrmBands.ReqidFirst, T0.AddSeconds(10));
        var plan = XfrmPlanner.Plan(peering, Peerings.Installed(peering), [stale], T0);
        Assert.Empty(plan.Retiring);
    }
}
