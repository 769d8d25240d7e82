using System.Diagnostics;
using System.Globalization;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace BranchConnector.IntegrationTests.Firewall;

public class FirewallScaleAndBackendTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Five_thousand_acl_rules_take_one_restore_per_family_and_a_reapply_mutates_nothing()
    {
        await using var world = new NetnsWorld();
        var ns = await world.AddNamespaceAsync("fw5k");
        var rules = Enumerable.Range(0, 5000).Select(i => i % 100 == 0
            ? Intents.Acl($"v6-{i}", AclChain.Forward, AclAction.Accept, "wg0", null, $"2001:db8:{i:x}::/48", null, "tcp", "443")
            : Intents.Acl($"r{i}", i % 2 == 0 ? AclChain.Forward : AclChain.Input, AclAction.Accept, "wg0", null,
                $"10.{i / 256}.{i % 256}.0/24", null, "tcp", (1000 + i % 3000).ToString(CultureInfo.InvariantCulture)));
        var intent = new FirewallIntent([], new AclSpec(AclAction.Drop, AclAction.Drop, rules.ToEquatableList()), [new TunnelInterface("wg0", 1420)]);
        var fw = new FirewallHarness(ns);

        var timer = Stopwatch.StartNew();
        var plan = await fw.ApplyAsync(intent);
        output.WriteLine($"first apply of 5000 rules: {timer.ElapsedMilliseconds} ms, {plan.ChangeCount(BranchConnector.Agent.Reconcile.ChangeKind.Added)} rule changes");
        Assert.Equal(2, fw.Processes.SpawnedMutating);
        Assert.Equal(4, fw.Processes.Spawned);
        Assert.Equal(["iptables-nft-restore", "ip6tables-nft-restore"], plan.Commands.Select(c => c.Request.FileName));

        timer.Restart();
        var again = await fw.ApplyAsync(intent);
        output.WriteLine($"re-apply (observe + plan): {timer.ElapsedMilliseconds} ms");
        Assert.Empty(again.Commands);
        Assert.True(again.Unchanged > 5000);
        Assert.Equal(2, fw.Processes.SpawnedMutating);
        Assert.Equal(6, fw.Processes.Spawned);
    }

    [Fact]
    public async Task Auto_detection_follows_legacy_rules_and_the_legacy_backend_round_trips()
    {
        await using var world = new NetnsWorld();
        var ns = await world.AddNamespaceAsync("fwleg");
        var runner = new NamespacedCommandRunner(new BranchConnector.Agent.Tools.ProcessCommandRunner(), ns);

        var empty = await FirewallBackendDetector.DetectAsync(runner, FirewallBackendChoice.Auto, CancellationToken.None);
        Assert.Equal("iptables-nft", empty.Name);

        await world.ExecOkAsync(ns, "iptables-legacy", "-A", "INPUT", "-i", "lo", "-j", "ACCEPT");
        var legacy = await FirewallBackendDetector.DetectAsync(runner, FirewallBackendChoice.Auto, CancellationToken.None);
        Assert.Equal("iptables-legacy", legacy.Name);
        Assert.Equal((0, 1), (legacy.NftRules, legacy.LegacyRules));
        Assert.Equal("iptables-nft", (await FirewallBackendDetector.DetectAsync(runner, FirewallBackendChoice.IptablesNft, CancellationToken.None)).Name);

        var fw = new FirewallHarness(ns, FirewallBackend.Legacy);
        var foreign = await fw.ForeignAsync();
        var intent = Intents.Everything() with { Acl = AclSpec.Empty with { Rules = Intents.Everything().Acl.Rules.Where(r => AclRenderer.PinnedFamily(r) != IpFamily.V6).ToEquatableList() } };
        await fw.ApplyAsync(intent);
        await FirewallOwnershipTests.AssertConvergedAsync(fw, intent);
        Assert.Equal(foreign, await fw.ForeignAsync());
        await fw.CleanupAsync();
        Assert.Equal(foreign, await fw.ForeignAsync());
        Assert.True((await fw.ObserveAsync()).V4.IsEmpty);
    }

}
