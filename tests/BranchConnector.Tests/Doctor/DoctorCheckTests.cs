using BranchConnector.Agent.Doctor;
using BranchConnector.Agent.Health.Stun;
using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Tests.Health;

namespace BranchConnector.Tests.Doctor;

public sealed class DoctorCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Stun_blocked_fails_udp_only()
    {
        var results = StunCheck.Verdicts(new StunResult(null, null, "unknown", true, Now));
        var udp = Assert.Single(results);
        Assert.Equal((StunCheck.Udp, Verdict.Fail), (udp.Check, udp.Verdict));
        Assert.NotNull(udp.Hint);
    }

    [Theory]
    [InlineData("none", Verdict.Ok)]
    [InlineData("endpoint-independent", Verdict.Ok)]
    [InlineData("endpoint-dependent", Verdict.Warn)]
    [InlineData("unknown", Verdict.Warn)]
    public void Nat_mapping_verdicts(string mapping, Verdict expected)
    {
        var results = StunCheck.Verdicts(new StunResult("203.0.113.10:3478", "198.51.100.2:4000", mapping, false, Now));
        Assert.Equal(expected, results.Single(r => r.Check == StunCheck.Nat).Verdict);
        Assert.Equal("198.51.100.2:4000", results.Single(r => r.Check == StunCheck.PublicAddress).Detail);
    }

    [Fact]
    public async Task Without_stun_servers_udp_is_unknown()
    {
        var results = await new StunCheck([], (_, _) => throw new InvalidOperationException("must not query")).RunAsync(CancellationToken.None);
        Assert.Equal(Verdict.Warn, Assert.Single(results).Verdict);
    }

    [Fact]
    public void Clock_offset_beyond_five_seconds_and_unknown_both_warn()
    {
        Assert.Equal(Verdict.Warn, ClockCheck.OffsetVerdict(new TimeReport(-7200, 10, true, Now)).Verdict);
        Assert.Equal(Verdict.Ok, ClockCheck.OffsetVerdict(new TimeReport(120, 10, true, Now)).Verdict);
        Assert.Equal(Verdict.Warn, ClockCheck.OffsetVerdict(null).Verdict);
        Assert.Equal(Verdict.Warn, ClockCheck.NtpVerdict(false).Verdict);
    }

    [Fact]
    public void Userspace_wireguard_needs_tun()
    {
        var userspace = new WgImplementationChoice(WgImplementation.Userspace, "no wireguard kernel module; using wireguard-go");
        Assert.Equal(Verdict.Ok, WireGuardCheck.Verdict(userspace, tunPresent: true).Verdict);
        var missing = WireGuardCheck.Verdict(userspace, tunPresent: false);
        Assert.Equal(Verdict.Fail, missing.Verdict);
        Assert.Contains("no wireguard kernel module", missing.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Firewall_with_rules_in_both_backends_warns()
    {
        Assert.Equal(Verdict.Warn, FirewallCheck.Verdict(new FirewallBackendDetection(FirewallBackend.Nft, 3, 5)).Verdict);
        Assert.Equal(Verdict.Ok, FirewallCheck.Verdict(new FirewallBackendDetection(FirewallBackend.Nft, 3, 0)).Verdict);
        Assert.Equal(Verdict.Fail, FirewallCheck.Verdict(new FirewallBackendDetection(null, 0, 0)).Verdict);
    }

    [Fact]
    public async Task Ip_forward_off_fails()
    {
        var off = await new IpForwardCheck(_ => "0\n").RunAsync(CancellationToken.None);
        Assert.Equal(Verdict.Fail, off.Single().Verdict);
        var on = await new IpForwardCheck(_ => "1\n").RunAsync(CancellationToken.None);
        Assert.Equal(Verdict.Ok, on.Single().Verdict);
    }

    [Fact]
    public async Task Strict_rp_filter_on_a_tunnel_warns_using_the_larger_of_all_and_the_interface()
    {
        var proc = new Dictionary<string, string>
        {
            ["/proc/sys/net/ipv4/conf/all/rp_filter"] = "1",
            ["/proc/sys/net/ipv4/conf/wg0/rp_filter"] = "0",
            ["/proc/sys/net/ipv4/conf/wgp0/rp_filter"] = "2",
        };
        var results = await new RpFilterCheck(["wg0", "wgp0", "wgx"], p => proc.GetValueOrDefault(p)).RunAsync(CancellationToken.None);
        Assert.Equal([Verdict.Warn, Verdict.Ok, Verdict.Ok], results.Select(r => r.Verdict));
        Assert.Contains("not present", results[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_mtu_compares_the_link_with_tunnel_plus_80()
    {
        var runner = new FakeCommandRunner(r => string.Join(' ', r.Arguments) switch
        {
            "-j route get 203.0.113.1" => (0, """[{"dst":"203.0.113.1","gateway":"192.0.2.1","dev":"eth0"}]""", ""),
            "-j link show dev eth0" => (0, """[{"ifname":"eth0","mtu":1492}]""", ""),
            var other => (1, "", "unexpected " + other),
        });
        var tooBig = await new PathMtuCheck(runner, "203.0.113.1", 1420).RunAsync(CancellationToken.None);
        Assert.Equal(Verdict.Warn, tooBig.Single().Verdict);
        Assert.Contains("at most 1412", tooBig.Single().Hint, StringComparison.Ordinal);
        var fits = await new PathMtuCheck(runner, "203.0.113.1", 1400).RunAsync(CancellationToken.None);
        Assert.Equal(Verdict.Ok, fits.Single().Verdict);
    }

    [Fact]
    public void Broker_verdicts()
    {
        var url = new Uri("mqtts://mqtt1.example.net:8883");
        Assert.Equal(Verdict.Fail, BrokerCheck.Verdict(new BrokerProbeResult(url, "Connection refused", null, null), Now).Verdict);
        Assert.Equal(Verdict.Fail, BrokerCheck.Verdict(new BrokerProbeResult(url, null, "not trusted", Now.AddDays(90)), Now).Verdict);
        Assert.Equal(Verdict.Warn, BrokerCheck.Verdict(new BrokerProbeResult(url, null, null, Now.AddDays(10)), Now).Verdict);
        Assert.Equal(Verdict.Fail, BrokerCheck.Verdict(new BrokerProbeResult(url, null, null, Now.AddDays(-1)), Now).Verdict);
        Assert.Equal(Verdict.Ok, BrokerCheck.Verdict(new BrokerProbeResult(url, null, null, Now.AddDays(90)), Now).Verdict);
    }

    [Fact]
    public void Report_fails_when_any_check_fails_and_prints_hints()
    {
        var report = DoctorReport.From([CheckResult.Ok("udp", "fine"), CheckResult.Fail("ip_forward", "net.ipv4.ip_forward = 0", "turn it on")]);
        Assert.False(report.Ok);
        Assert.Equal("ok   udp         fine\nfail ip_forward  net.ipv4.ip_forward = 0\n                 hint: turn it on\n", report.Text());
        Assert.Contains("\"verdict\": \"fail\"", report.Json(), StringComparison.Ordinal);
    }
}
