using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.Firewall;

public class FirewallPlannerTests
{
    private static readonly FirewallSettings Managed = new(true, FirewallBackendChoice.Auto);

    private static SubsystemPlan Plan(FirewallIntent intent, ObservedFirewall observed) =>
        FirewallPlanner.Plan(Managed, intent, observed, FirewallBackend.Nft);

    private static ObservedFirewall V4Only(string save) =>
        new(IptablesSaveParser.Parse(IpFamily.V4, save), ObservedFamily.Empty(IpFamily.V6));

    [Theory]
    [MemberData(nameof(RendererGoldenTests.IntentNames), MemberType = typeof(RendererGoldenTests))]
    public void An_applied_intent_plans_no_command(string name)
    {
        var intent = SampleIntents.All().Single(x => x.Name == name).Intent;
        var desired = FirewallRenderer.Render(intent);
        var plan = Plan(intent, SaveText.Observed(desired));
        Assert.Empty(plan.Commands);
        Assert.Equal(desired.V4.RuleCount + desired.V6.RuleCount, plan.Unchanged);
    }

    [Fact]
    public void Disabled_management_plans_nothing_even_with_rules_present()
    {
        var observed = V4Only(Golden.Read("docker-host.save"));
        Assert.Same(SubsystemPlan.Nothing, FirewallPlanner.Plan(new FirewallSettings(false, FirewallBackendChoice.Auto), SampleIntents.Mixed, observed, FirewallBackend.Nft));
    }

    [Fact]
    public void One_changed_rule_is_one_restore_refilling_the_family()
    {
        var observed = SaveText.Observed(FirewallRenderer.Render(SampleIntents.NatOnly));
        var changed = SampleIntents.NatOnly with
        {
            Nat = [SampleIntents.NatOnly.Nat[0], SampleIntents.NatOnly.Nat[1] with { ToAddress = "10.255.0.3" }, SampleIntents.NatOnly.Nat[2]],
        };
        var plan = Plan(changed, observed);

        var command = Assert.Single(plan.Commands);
        Assert.Equal("iptables-nft-restore", command.Request.FileName);
        Assert.Equal(["--noflush", "--wait"], command.Request.Arguments);
        Assert.True(command.Request.Mutates);
        Assert.Equal(Stage.Firewall, command.Stage);
        Assert.False(command.IsRemoval);
        Assert.Equal(1, plan.ChangeCount(ChangeKind.Added));
        Assert.Equal(1, plan.ChangeCount(ChangeKind.Removed));
        Assert.Equal(2, plan.Unchanged);
        Assert.Contains(command.Changes, c => c.Kind == ChangeKind.Added && c.What == "ipv4 nat -A BC-POSTROUTING -s 192.168.10.0/24 -o wg0 -j SNAT --to-source 10.255.0.3");
        Assert.Equal(
            "*nat\n:BC-PREROUTING - [0:0]\n:BC-POSTROUTING - [0:0]\n" +
            "-A BC-PREROUTING -i wg0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.10.5:80\n" +
            "-A BC-POSTROUTING -s 192.168.10.0/24 -o eth0 -j MASQUERADE\n" +
            "-A BC-POSTROUTING -s 192.168.10.0/24 -o wg0 -j SNAT --to-source 10.255.0.3\nCOMMIT\n",
            command.Request.Stdin);
    }

    [Fact]
    public void A_missing_jump_is_inserted_at_position_one()
    {
        var save = SaveText.Of(FirewallRenderer.Render(SampleIntents.NatOnly).V4)
            .Replace(OwnChain.Prerouting.JumpLine + "\n", "", StringComparison.Ordinal);
        var command = Assert.Single(Plan(SampleIntents.NatOnly, V4Only(save)).Commands);
        var change = Assert.Single(command.Changes);
        Assert.Equal(ChangeKind.Added, change.Kind);
        Assert.Contains("-I PREROUTING 1 -m comment --comment branch-connector -j BC-PREROUTING\n", command.Request.Stdin, StringComparison.Ordinal);
        Assert.DoesNotContain("-D ", command.Request.Stdin, StringComparison.Ordinal);
        Assert.DoesNotContain("-I POSTROUTING", command.Request.Stdin, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicated_jump_is_deleted_everywhere_and_inserted_once()
    {
        // docker-host.save holds the Mixed intent's IPv4 chains (as rendered before accept policies got their own
        // final rules, which are planned as additions here) plus a second BC-FORWARD jump at FORWARD position 7.
        var observed = V4Only(Golden.Read("docker-host.save"));
        var v4 = Plan(SampleIntents.Mixed, observed).Commands.Single(c => c.Request.FileName == "iptables-nft-restore");
        Assert.All(v4.Changes.Where(c => c.Kind != ChangeKind.Changed), c => Assert.Equal(ChangeKind.Added, c.Kind));
        var change = Assert.Single(v4.Changes, c => c.Kind == ChangeKind.Changed);
        Assert.Equal(ChangeKind.Changed, change.Kind);
        var stdin = v4.Request.Stdin!;
        Assert.Equal(2, stdin.Split('\n').Count(l => l == "-D FORWARD -m comment --comment branch-connector -j BC-FORWARD"));
        Assert.Single(stdin.Split('\n'), l => l == "-I FORWARD 1 -m comment --comment branch-connector -j BC-FORWARD");
        Assert.True(stdin.IndexOf("-D FORWARD", StringComparison.Ordinal) < stdin.IndexOf("-I FORWARD", StringComparison.Ordinal));
        Assert.DoesNotContain("DOCKER", stdin, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jump_not_at_position_one_is_moved()
    {
        var save = SaveText.Of(FirewallRenderer.Render(SampleIntents.AclOnly).V4)
            .Replace(OwnChain.Input.JumpLine + "\n", "-A INPUT -i lo -j ACCEPT\n" + OwnChain.Input.JumpLine + "\n", StringComparison.Ordinal);
        var observed = V4Only(save);
        Assert.Equal(2, observed.V4.JumpsInto(OwnChain.Input).Single().Position);
        var command = Assert.Single(Plan(SampleIntents.AclOnly, observed).Commands);
        Assert.Equal(ChangeKind.Changed, Assert.Single(command.Changes).Kind);
        Assert.Contains("-D INPUT -m comment --comment branch-connector -j BC-INPUT\n-I INPUT 1 -m comment --comment branch-connector -j BC-INPUT\n",
            command.Request.Stdin, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flushed_chain_is_refilled_without_touching_its_jump()
    {
        var desired = FirewallRenderer.Render(SampleIntents.AclOnly);
        var flushed = desired.V4 with { Chains = desired.V4.Chains.Select(c => c.Chain == OwnChain.Forward ? c with { Rules = [] } : c).ToEquatableList() };
        var plan = Plan(SampleIntents.AclOnly, V4Only(SaveText.Of(flushed)));
        var command = Assert.Single(plan.Commands);
        var refilled = desired.V4.Chains.Single(c => c.Chain == OwnChain.Forward).Rules.Count;
        Assert.Equal(Enumerable.Repeat(ChangeKind.Added, refilled), command.Changes.Select(c => c.Kind));
        Assert.DoesNotContain("-I ", command.Request.Stdin, StringComparison.Ordinal);
        Assert.Contains(":BC-FORWARD - [0:0]\n", command.Request.Stdin, StringComparison.Ordinal);
        Assert.Equal(desired.V4.RuleCount - refilled, plan.Unchanged);
    }

    [Fact]
    public void Reordered_rules_are_a_change()
    {
        var desired = FirewallRenderer.Render(SampleIntents.NatOnly);
        var swapped = desired.V4 with
        {
            Chains = desired.V4.Chains.Select(c => c.Chain == OwnChain.Postrouting ? c with { Rules = c.Rules.Reverse().ToEquatableList() } : c).ToEquatableList(),
        };
        var command = Assert.Single(Plan(SampleIntents.NatOnly, V4Only(SaveText.Of(swapped))).Commands);
        Assert.Equal(ChangeKind.Changed, Assert.Single(command.Changes).Kind);
    }

    [Fact]
    public void A_chain_no_longer_wanted_loses_its_jump_and_is_deleted()
    {
        var observed = SaveText.Observed(FirewallRenderer.Render(SampleIntents.Mixed));
        var plan = Plan(SampleIntents.Mixed with { Nat = [] }, observed);
        var command = Assert.Single(plan.Commands);
        Assert.True(command.IsRemoval);
        Assert.Equal(5, plan.ChangeCount(ChangeKind.Removed));
        // The whole own set of the family is rewritten: the unchanged filter and mangle chains are refilled as they were.
        Assert.StartsWith("*filter\n:BC-INPUT - [0:0]\n:BC-FORWARD - [0:0]\n-A BC-INPUT", command.Request.Stdin, StringComparison.Ordinal);
        Assert.DoesNotContain("-I ", command.Request.Stdin, StringComparison.Ordinal);
        Assert.Contains(
            "*nat\n:BC-PREROUTING - [0:0]\n:BC-POSTROUTING - [0:0]\n" +
            "-D PREROUTING -m comment --comment branch-connector -j BC-PREROUTING\n" +
            "-D POSTROUTING -m comment --comment branch-connector -j BC-POSTROUTING\n" +
            "-X BC-PREROUTING\n-X BC-POSTROUTING\nCOMMIT\n",
            command.Request.Stdin, StringComparison.Ordinal);
    }

    [Fact]
    public void Cleanup_removes_every_own_object_per_family_and_nothing_else()
    {
        var observed = new ObservedFirewall(
            IptablesSaveParser.Parse(IpFamily.V4, Golden.Read("docker-host.save")),
            IptablesSaveParser.Parse(IpFamily.V6, SaveText.Of(FirewallRenderer.Render(SampleIntents.V6Acl).V6)));
        var plan = FirewallPlanner.PlanCleanup(observed, FirewallBackend.Legacy);
        Assert.Equal(["iptables-legacy-restore", "ip6tables-legacy-restore"], plan.Commands.Select(c => c.Request.FileName));
        Assert.All(plan.Commands, c => Assert.True(c.IsRemoval));
        Golden.AssertMatches("cleanup-docker-host.restore.txt", RendererGoldenTests.Describe(plan.Commands.Select(c => c.Request)));
        Assert.Empty(FirewallPlanner.PlanCleanup(ObservedFirewall.Empty, FirewallBackend.Nft).Commands);
    }

    [Fact]
    public void Ipv6_chains_are_removed_when_the_acl_stops_needing_ipv6()
    {
        var observed = SaveText.Observed(FirewallRenderer.Render(SampleIntents.V6Acl));
        var plan = Plan(SampleIntents.AclOnly, observed);
        var v6 = plan.Commands.Single(c => c.Request.FileName == "ip6tables-nft-restore");
        Assert.True(v6.IsRemoval);
        Assert.Contains("-X BC-FORWARD\n", v6.Request.Stdin, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_present_twice_but_wanted_once_is_one_removal()
    {
        var desired = FirewallRenderer.Render(SampleIntents.NatOnly);
        var doubled = desired.V4 with
        {
            Chains = desired.V4.Chains.Select(c => c.Chain == OwnChain.Postrouting ? c with { Rules = c.Rules.Append(c.Rules[0]).ToEquatableList() } : c).ToEquatableList(),
        };
        var plan = Plan(SampleIntents.NatOnly, V4Only(SaveText.Of(doubled)));
        var change = Assert.Single(Assert.Single(plan.Commands).Changes);
        Assert.Equal(ChangeKind.Removed, change.Kind);
        Assert.Equal(3, plan.Unchanged);
    }
}
