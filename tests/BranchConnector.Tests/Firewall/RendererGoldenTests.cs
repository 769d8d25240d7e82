using System.Text;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Linux.Firewall;

namespace BranchConnector.Tests.Firewall;

public class RendererGoldenTests
{
    public static TheoryData<string> IntentNames() => new(SampleIntents.All().Select(x => x.Name));

    /// <summary>The restore input a fresh box (no own chains yet) gets for each sample intent.</summary>
    [Theory]
    [MemberData(nameof(IntentNames))]
    public void Fresh_apply_restore_input_matches_golden(string name)
    {
        var intent = SampleIntents.All().Single(x => x.Name == name).Intent;
        var plan = FirewallPlanner.Plan(new FirewallSettings(true, FirewallBackendChoice.Auto), intent, ObservedFirewall.Empty, FirewallBackend.Nft);
        Golden.AssertMatches($"{name}.restore.txt", Describe(plan.Commands.Select(c => c.Request)));
    }

    internal static string Describe(IEnumerable<BranchConnector.Agent.Tools.CommandRequest> requests)
    {
        var text = new StringBuilder();
        foreach (var request in requests)
            text.Append("### ").Append(request.CommandLine).Append('\n').Append(request.Stdin);
        return text.ToString();
    }

    [Fact]
    public void Empty_intent_renders_no_chain_in_either_family()
    {
        var desired = FirewallRenderer.Render(FirewallIntent.Empty);
        Assert.Empty(desired.V4.Chains);
        Assert.Empty(desired.V6.Chains);
    }

    [Fact]
    public void Ipv6_is_managed_only_when_the_acl_needs_it()
    {
        Assert.False(FirewallRenderer.ManagesIpv6(SampleIntents.AclOnly));
        Assert.False(FirewallRenderer.ManagesIpv6(SampleIntents.NatOnly));
        Assert.True(FirewallRenderer.ManagesIpv6(SampleIntents.V6Acl));
        Assert.True(FirewallRenderer.ManagesIpv6(SampleIntents.DropPolicies));
        Assert.True(FirewallRenderer.ManagesIpv6(SampleIntents.Mixed));
    }

    [Fact]
    public void A_rule_mixing_families_is_refused()
    {
        var intent = SampleIntents.AclOnly with
        {
            Acl = new BranchConnector.Agent.Desired.AclSpec(BranchConnector.Agent.Desired.AclAction.Accept, BranchConnector.Agent.Desired.AclAction.Accept,
                [SampleIntents.Acl("bad", BranchConnector.Agent.Desired.AclChain.Forward, BranchConnector.Agent.Desired.AclAction.Accept, src: "10.0.0.0/8", dst: "2001:db8::/32")]),
        };
        Assert.Throws<ArgumentException>(() => FirewallRenderer.Render(intent));
    }

    [Fact]
    public void An_intent_is_built_from_the_batch_topics_and_the_tunnels()
    {
        var config = BranchConnector.Agent.Desired.DesiredConfig.Empty with { Nat = SampleIntents.NatOnly.Nat, Acl = SampleIntents.DropPolicies.Acl };
        var intent = FirewallIntent.From(config, [SampleIntents.Wg0, SampleIntents.Wg2]);
        Assert.Equal(new FirewallIntent(SampleIntents.NatOnly.Nat, SampleIntents.DropPolicies.Acl, [SampleIntents.Wg0, SampleIntents.Wg2]), intent);
    }
}
