using BranchConnector.Agent.Config;
using BranchConnector.Agent.Linux.Firewall;

namespace BranchConnector.Tests.Firewall;

public class FirewallBackendTests
{
    private const string TwoRules = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n";
    private const string OneRule = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n";

    private static Task<FirewallBackendDetection> Detect(FakeCommandRunner runner, FirewallBackendChoice choice = FirewallBackendChoice.Auto) =>
        FirewallBackendDetector.DetectAsync(runner, choice, CancellationToken.None);

    [Fact]
    public async Task Auto_follows_the_flavour_holding_the_rules()
    {
        var legacy = await Detect(new FakeCommandRunner().Answer("iptables-nft-save", OneRule).Answer("iptables-legacy-save", TwoRules));
        Assert.Equal("iptables-legacy", legacy.Name);
        Assert.Equal((1, 2), (legacy.NftRules, legacy.LegacyRules));
        var nft = await Detect(new FakeCommandRunner().Answer("iptables-nft-save", TwoRules).Answer("iptables-legacy-save", OneRule));
        Assert.Same(FirewallBackend.Nft, nft.Backend);
    }

    [Fact]
    public async Task Auto_prefers_nft_when_both_are_empty()
    {
        var both = await Detect(new FakeCommandRunner().Answer("iptables-nft-save", "").Answer("iptables-legacy-save", ""));
        Assert.Equal("iptables-nft", both.Name);
    }

    [Fact]
    public async Task Missing_binaries_fall_back_or_report_none()
    {
        Assert.Equal("iptables-legacy", (await Detect(new FakeCommandRunner().Answer("iptables-legacy-save", ""))).Name);
        Assert.Equal("none", (await Detect(new FakeCommandRunner())).Name);
        Assert.Null((await Detect(new FakeCommandRunner())).Backend);
    }

    [Fact]
    public async Task An_override_ignores_the_other_flavour()
    {
        var runner = new FakeCommandRunner().Answer("iptables-nft-save", "").Answer("iptables-legacy-save", TwoRules);
        Assert.Equal("iptables-nft", (await Detect(runner, FirewallBackendChoice.IptablesNft)).Name);
        Assert.DoesNotContain(runner.Requests, r => r.FileName == "iptables-legacy-save");
        Assert.Equal("none", (await Detect(new FakeCommandRunner().Answer("iptables-nft-save", ""), FirewallBackendChoice.IptablesLegacy)).Name);
    }

    [Fact]
    public async Task Observer_runs_one_save_per_family_and_tolerates_missing_ipv6()
    {
        var runner = new FakeCommandRunner().Answer("iptables-legacy-save", Golden.Read("docker-host.save")).Answer("ip6tables-legacy-save", "no ipv6", exit: 1);
        var observed = await new FirewallObserver(runner, FirewallBackend.Legacy).ObserveAsync(CancellationToken.None);
        Assert.Equal(["iptables-legacy-save", "ip6tables-legacy-save"], runner.Requests.Select(r => r.FileName));
        Assert.All(runner.Requests, r => Assert.False(r.Mutates));
        Assert.Equal(10, observed.RuleCount);
        Assert.True(observed.V6.IsEmpty);
        Assert.NotNull(observed.Ipv6Unavailable);
    }

    [Fact]
    public async Task Observer_fails_when_ipv4_cannot_be_read()
    {
        var runner = new FakeCommandRunner().Answer("iptables-nft-save", "", exit: 4);
        await Assert.ThrowsAsync<InvalidOperationException>(() => new FirewallObserver(runner, FirewallBackend.Nft).ObserveAsync(CancellationToken.None));
    }
}
