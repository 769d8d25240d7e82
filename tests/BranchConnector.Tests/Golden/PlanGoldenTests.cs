using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Tests.Golden;

/// <summary>
/// The reconcile plan for (batch, observed state) pairs, as `render` prints it, against checked-in text under
/// golden/. Regenerate with `BC_UPDATE_GOLDEN=1 dotnet test tests/BranchConnector.Tests --filter FullyQualifiedName~Golden`.
/// </summary>
public class PlanGoldenTests
{
    [Fact]
    public async Task A_full_batch_on_a_fresh_box()
    {
        var plan = Plan(await PlanCases.IntentAsync(PlanCases.FullBatch()), PlanCases.Empty, OwnershipRecord.Empty);
        Routes.GoldenText.AssertMatches("fresh-full.txt", PlanRenderer.Render(plan));
        Assert.DoesNotContain(PlanCases.PresharedKey, PlanRenderer.Render(plan), StringComparison.Ordinal);
        Assert.DoesNotContain(PlanCases.PrivateKey, PlanRenderer.Render(plan), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Everything_already_in_place_is_an_empty_plan()
    {
        var intent = await PlanCases.IntentAsync(PlanCases.FullBatch());
        var plan = Plan(intent, PlanCases.InPlace(intent), PlanCases.OwnedAfter(intent));
        Assert.True(plan.IsEmpty, PlanRenderer.Render(plan));
        Assert.True(plan.Unchanged > 0);
        Routes.GoldenText.AssertMatches("in-place.txt", PlanRenderer.Render(plan));
    }

    [Fact]
    public async Task One_route_changed_is_one_replace()
    {
        var before = await PlanCases.IntentAsync(PlanCases.FullBatch());
        var changed = PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard()), ("static", PlanCases.Static(gateway: "10.255.0.9")),
            ("nat44", PlanCases.Nat()), ("acl", PlanCases.Acl()));
        var plan = Plan(await PlanCases.IntentAsync(changed), PlanCases.InPlace(before), PlanCases.OwnedAfter(before));
        Assert.Single(plan.Changes);
        Routes.GoldenText.AssertMatches("route-changed.txt", PlanRenderer.Render(plan));
    }

    [Fact]
    public async Task Hub_kind_none_removes_the_backbone_and_everything_on_it()
    {
        var before = await PlanCases.IntentAsync(PlanCases.FullBatch());
        var standalone = PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard("none")));
        var plan = Plan(await PlanCases.IntentAsync(standalone), PlanCases.InPlace(before), PlanCases.OwnedAfter(before));
        Assert.All(plan.Commands, c => Assert.True(c.IsRemoval, c.Request.CommandLine));
        Assert.DoesNotContain(plan.Changes, c => c.Subsystem == "interface");
        Assert.DoesNotContain("wg0", plan.OwnedAfter.Devices);
        Routes.GoldenText.AssertMatches("backbone-removed.txt", PlanRenderer.Render(plan));
    }

    [Fact]
    public async Task A_full_tunnel_goes_through_its_own_table_and_rules()
    {
        var config = PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard("dedicated_edge", "0.0.0.0/0")));
        var plan = Plan(await PlanCases.IntentAsync(config), PlanCases.Empty, OwnershipRecord.Empty);
        var text = PlanRenderer.Render(plan);
        Assert.DoesNotContain("route add 0.0.0.0/0 dev wg0 table 254", text, StringComparison.Ordinal);
        Routes.GoldenText.AssertMatches("full-tunnel.txt", text);
    }

    [Fact]
    public async Task A_dual_stack_full_tunnel_and_back_to_split_restores_what_the_agent_changed()
    {
        var full = await PlanCases.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface()),
            ("wireguard", PlanCases.WireGuard("dedicated_edge", "0.0.0.0/0", "::/0"))));
        var before = PlanCases.Empty with { Sysctls = new Dictionary<string, string> { ["net.ipv4.conf.all.src_valid_mark"] = "0" } };
        var up = Plan(full, before, OwnershipRecord.Empty);
        Routes.GoldenText.AssertMatches("full-tunnel-dual-stack.txt", PlanRenderer.Render(up));
        Assert.Equal("0", Assert.Single(up.OwnedAfter.Sysctls).Original);

        var split = await PlanCases.IntentAsync(PlanCases.Config(("interface", PlanCases.Interface()), ("wireguard", PlanCases.WireGuard())));
        var applied = PlanCases.InPlace(full) with { Sysctls = new Dictionary<string, string> { ["net.ipv4.conf.all.src_valid_mark"] = "1" } };
        var down = Plan(split, applied, up.OwnedAfter);
        Routes.GoldenText.AssertMatches("full-tunnel-to-split.txt", PlanRenderer.Render(down));
        Assert.Empty(down.OwnedAfter.Sysctls);
    }

    private static ReconcilePlan Plan(KernelIntent intent, ObservedState observed, OwnershipRecord owned) =>
        ReconcilePlanner.Plan(intent, observed, PlanCases.Context(owned));
}
