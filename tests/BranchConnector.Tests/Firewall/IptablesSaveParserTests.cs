using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;

namespace BranchConnector.Tests.Firewall;

public class IptablesSaveParserTests
{
    /// <summary>golden/docker-host.save is real iptables-nft-save output: Docker-like chains, a user's INPUT, our chains and a duplicated jump.</summary>
    private static ObservedFamily DockerHost() => IptablesSaveParser.Parse(IpFamily.V4, Golden.Read("docker-host.save"));

    [Fact]
    public void Keeps_only_own_chains_and_their_rules()
    {
        var observed = DockerHost();
        Assert.Equal([OwnChain.Forward, OwnChain.Prerouting, OwnChain.Postrouting, OwnChain.Mss], observed.Chains.Select(c => c.Chain));
        Assert.Equal(
        [
            "-A BC-FORWARD -i wg0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A BC-FORWARD -o wg0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A BC-FORWARD -d 192.168.10.5/32 -i wg0 -p tcp -m multiport --dports 80 -j ACCEPT",
            "-A BC-FORWARD -p tcp -m multiport --dports 23 -j REJECT --reject-with tcp-reset",
            "-A BC-FORWARD -s 10.1.2.3/32 -j DROP",
        ], observed.Find(OwnChain.Forward)!.Rules);
        Assert.DoesNotContain(observed.Chains.SelectMany(c => c.Rules), r => r.Contains("DOCKER", StringComparison.Ordinal));
        Assert.Equal(10, observed.RuleCount);
    }

    [Fact]
    public void Records_every_jump_with_its_position_in_the_builtin_chain()
    {
        var jumps = DockerHost().Jumps;
        Assert.Equal(
        [
            (OwnChain.Mss, "FORWARD", 1),
            (OwnChain.Forward, "FORWARD", 1),
            (OwnChain.Forward, "FORWARD", 7),
            (OwnChain.Prerouting, "PREROUTING", 1),
            (OwnChain.Postrouting, "POSTROUTING", 1),
        ], jumps.Select(j => (j.Target, j.Chain, j.Position)));
        Assert.All(jumps, j => Assert.Equal(j.Target.JumpLine, j.Line));
    }

    [Fact]
    public void A_chain_with_our_name_in_another_table_is_not_ours()
    {
        var observed = IptablesSaveParser.Parse(IpFamily.V4, "*raw\n:BC-FORWARD - [0:0]\n-A PREROUTING -j BC-FORWARD\n-A BC-FORWARD -j ACCEPT\nCOMMIT\n");
        Assert.True(observed.IsEmpty);
    }

    [Fact]
    public void An_empty_declared_chain_is_observed_and_counters_are_ignored()
    {
        var observed = IptablesSaveParser.Parse(IpFamily.V4,
            "*filter\n:INPUT ACCEPT [5:300]\n:BC-INPUT - [0:0]\n[3:180] -A INPUT -m comment --comment \"a -j BC-INPUT\" -j ACCEPT\nCOMMIT\n");
        Assert.Equal([new ChainRules(OwnChain.Input, [])], observed.Chains);
        Assert.Empty(observed.Jumps);
    }
}
