using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Firewall;

/// <summary>Real iptables-nft in a namespace holding someone else's ruleset: the agent touches only its own chains and jumps.</summary>
public class FirewallOwnershipTests
{
    [Fact]
    public async Task Foreign_rules_stay_byte_identical_through_apply_change_drift_repair_and_cleanup()
    {
        await using var world = new NetnsWorld();
        var ns = await world.AddNamespaceAsync("fw");
        await RestoreAsync(ns, "iptables-nft-restore", ForeignRuleset.V4);
        await RestoreAsync(ns, "ip6tables-nft-restore", ForeignRuleset.V6);
        var fw = new FirewallHarness(ns);
        var foreign = await fw.ForeignAsync();
        Assert.Contains("-A DOCKER-USER -j RETURN", foreign, StringComparison.Ordinal);

        var intent = Intents.Everything();
        var first = await fw.ApplyAsync(intent);
        Assert.Equal(["iptables-nft-restore", "ip6tables-nft-restore"], first.Commands.Select(c => c.Request.FileName));
        Assert.Equal(foreign, await fw.ForeignAsync());
        await AssertConvergedAsync(fw, intent);

        // Applying again spawns the two observe processes and nothing that mutates.
        var (spawned, mutating) = (fw.Processes.Spawned, fw.Processes.SpawnedMutating);
        Assert.Empty((await fw.ApplyAsync(intent)).Commands);
        Assert.Equal((spawned + 2, mutating), (fw.Processes.Spawned, fw.Processes.SpawnedMutating));

        var changed = intent with { Acl = intent.Acl with { Rules = intent.Acl.Rules.Skip(1).ToEquatableList() }, Nat = [intent.Nat[0]] };
        var change = await fw.ApplyAsync(changed);
        Assert.Single(change.Commands);
        Assert.Equal(foreign, await fw.ForeignAsync());
        await AssertConvergedAsync(fw, changed);

        foreign = await RepairAfterAsync(world, ns, fw, changed, "iptables-nft", "-F", "BC-FORWARD");
        foreign = await RepairAfterAsync(world, ns, fw, changed, "iptables-nft", "-D", "FORWARD", "-m", "comment", "--comment", "branch-connector", "-j", "BC-FORWARD");
        foreign = await RepairAfterAsync(world, ns, fw, changed, "iptables-nft", "-A", "INPUT", "-m", "comment", "--comment", "branch-connector", "-j", "BC-INPUT");
        foreign = await RepairAfterAsync(world, ns, fw, changed, "iptables-nft", "-t", "mangle", "-I", "FORWARD", "1", "-j", "ACCEPT");
        foreign = await RepairAfterAsync(world, ns, fw, changed, "iptables-nft", "-F", "FORWARD");
        await RestoreAsync(ns, "iptables-nft-restore", ForeignRuleset.Replacement, noflush: false);
        foreign = await fw.ForeignAsync();
        Assert.NotEmpty((await fw.ApplyAsync(changed)).Commands);
        Assert.Equal(foreign, await fw.ForeignAsync());
        await AssertConvergedAsync(fw, changed);

        var cleanup = await fw.CleanupAsync();
        Assert.All(cleanup.Commands, c => Assert.True(c.IsRemoval));
        Assert.Equal(foreign, await fw.ForeignAsync());
        Assert.DoesNotContain("BC-", await fw.SaveAsync(IpFamily.V4), StringComparison.Ordinal);
        Assert.DoesNotContain("BC-", await fw.SaveAsync(IpFamily.V6), StringComparison.Ordinal);
        Assert.Empty(FirewallPlanner.PlanCleanup(await fw.ObserveAsync(), fw.Backend).Commands);
    }

    /// <summary>Somebody else changes the ruleset; one apply repairs our part and leaves theirs as they made it.</summary>
    private static async Task<string> RepairAfterAsync(NetnsWorld world, string ns, FirewallHarness fw, FirewallIntent intent, params string[] drift)
    {
        await world.ExecOkAsync(ns, drift);
        var foreign = await fw.ForeignAsync();
        var repair = await fw.ApplyAsync(intent);
        Assert.Single(repair.Commands);
        Assert.Equal(foreign, await fw.ForeignAsync());
        await AssertConvergedAsync(fw, intent);
        return foreign;
    }

    internal static async Task AssertConvergedAsync(FirewallHarness fw, FirewallIntent intent)
    {
        var observed = await fw.ObserveAsync();
        Assert.Empty(FirewallPlanner.Plan(FirewallHarness.Managed, intent, observed, fw.Backend).Commands);
        var desired = FirewallRenderer.Render(intent);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            Assert.Equal(desired.For(family).Chains, observed.For(family).Chains);
            Assert.All(observed.For(family).Jumps, j => Assert.Equal(1, j.Position));
            Assert.Equal(desired.For(family).Chains.Count, observed.For(family).Jumps.Count);
        }
    }

    internal static async Task RestoreAsync(string ns, string tool, string rules, bool noflush = false)
    {
        var r = await new NamespacedCommandRunner(new BranchConnector.Agent.Tools.ProcessCommandRunner(), ns)
            .RunAsync(new BranchConnector.Agent.Tools.CommandRequest(tool, noflush ? ["--noflush"] : []) { Stdin = rules }, CancellationToken.None);
        if (!r.Succeeded) throw new InvalidOperationException(r.Describe());
    }
}
