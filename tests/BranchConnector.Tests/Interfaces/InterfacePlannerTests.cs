using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Tests.Routes;

namespace BranchConnector.Tests.Interfaces;

public class InterfacePlannerTests
{
    private static readonly HashSet<OwnedAddress> NoneOwned = [];

    [Fact]
    public void Same_state_plans_zero_commands()
    {
        DesiredLinkState[] desired =
        [
            new("lan0", ["192.168.10.1/24", "2001:db8:10::1/64"], 1400, SetUp: false),
            new("tun0", ["10.255.0.2/32"], 1420, SetUp: true),
        ];
        HashSet<OwnedAddress> owned = [new("tun0", "10.255.0.2/32")];
        var plan = InterfacePlanner.Plan(desired, AddressParserTests.Captured(), owned);
        Assert.Empty(plan.Plan.Commands);
        Assert.Empty(plan.Problems);
        Assert.Equal(6, plan.Plan.Unchanged);
        Assert.Equal(owned, plan.OwnedAfterApply);
    }

    [Fact]
    public void Mixed_changes_match_golden()
    {
        DesiredLinkState[] desired =
        [
            new("lan0", ["192.168.10.1/24", "192.168.20.1/24", "2001:DB8:20::1/64"], 1500, SetUp: true),
            new("tun0", [], null, SetUp: true),
            new("lan9", ["10.9.9.9/24"], null, SetUp: false),
        ];
        HashSet<OwnedAddress> owned = [new("lan0", "192.168.11.1/24"), new("tun0", "10.255.0.2/32"), new("lan0", "192.168.30.1/24")];
        var plan = InterfacePlanner.Plan(desired, AddressParserTests.Captured(), owned);
        GoldenText.AssertMatches("plan-mixed.txt", PlanText.Render(plan.Plan)
            + "problems: " + string.Join("; ", plan.Problems.Select(p => p.Message)) + "\n"
            + "owned before apply: " + string.Join(", ", plan.OwnedBeforeApply.Select(o => o.ToString()).Order(StringComparer.Ordinal)) + "\n"
            + "owned after apply: " + string.Join(", ", plan.OwnedAfterApply.Select(o => o.ToString()).Order(StringComparer.Ordinal)) + "\n");
    }

    [Fact]
    public void A_desired_address_that_was_already_there_is_not_owned_and_never_deleted()
    {
        var desired = new DesiredLinkState("lan0", ["192.168.10.1/24"], null, false);
        var first = InterfacePlanner.Plan([desired], AddressParserTests.Captured(), NoneOwned);
        Assert.Empty(first.Plan.Commands);
        Assert.Empty(first.OwnedAfterApply);

        var later = InterfacePlanner.Plan([], AddressParserTests.Captured(), first.OwnedAfterApply);
        Assert.Empty(later.Plan.Commands);
    }

    [Fact]
    public void Only_owned_addresses_are_removed()
    {
        HashSet<OwnedAddress> owned = [new("lan0", "192.168.11.1/24")];
        var plan = InterfacePlanner.Plan([], AddressParserTests.Captured(), owned);
        var command = Assert.Single(plan.Plan.Commands);
        Assert.True(command.IsRemoval);
        Assert.Equal("address del 192.168.11.1/24 dev lan0\n", command.Request.Stdin);
        Assert.Empty(plan.OwnedAfterApply);
    }

    [Fact]
    public void An_added_address_becomes_owned_and_is_journaled_before_apply()
    {
        var plan = InterfacePlanner.Plan([new("wan0", ["198.51.100.7/24"], null, false)], AddressParserTests.Captured(), NoneOwned);
        Assert.Equal("address add 198.51.100.7/24 dev wan0\n", Assert.Single(plan.Plan.Commands).Request.Stdin);
        Assert.Equal([new OwnedAddress("wan0", "198.51.100.7/24")], plan.OwnedBeforeApply);
        Assert.Equal([new OwnedAddress("wan0", "198.51.100.7/24")], plan.OwnedAfterApply);
        Assert.Equal(ChangeKind.Added, Assert.Single(plan.Plan.Commands[0].Changes).Kind);
    }

    [Fact]
    public void A_missing_link_is_a_problem_and_plans_nothing_for_it()
    {
        var plan = InterfacePlanner.Plan([new("lan9", ["10.9.9.9/24"], 1400, true)], AddressParserTests.Captured(), NoneOwned);
        Assert.Equal([new MissingLink("lan9")], plan.Problems);
        Assert.Empty(plan.Plan.Commands);
        Assert.Equal("interface lan9 does not exist", plan.Problems[0].Message);
    }
}
