using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.FakeKernel;

/// <summary>The fake kernel refuses what the real one refuses, so a plan that works only on a lenient fake is caught.</summary>
public class FakeKernelTests
{
    private static Task<CommandResult> Batch(FakeKernel k, string lines) => k.RunAsync(IpBatch.Render(lines.Split('\n')), CancellationToken.None);

    [Fact]
    public async Task A_route_add_over_a_foreign_route_with_the_same_key_fails_and_names_the_line()
    {
        var k = new FakeKernel();
        k.AddLink("eth0", addresses: "198.51.100.2/24");
        k.Routes.Add(new FakeRoute(IpFamily.V4, "10.0.0.0/8", "198.51.100.1", "eth0", 0, 254, 4, false));
        var result = await Batch(k, "route add 10.9.0.0/16 dev eth0 table 254 proto 188\nroute add 10.0.0.0/8 dev eth0 table 254 proto 188");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, IpBatchFailure.Parse(result.Stderr));
        Assert.Contains("File exists", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(k.Routes, r => r.Destination == "10.9.0.0/16"); // lines before the failing one stay done
        Assert.Equal(4, k.Routes.Single(r => r.Destination == "10.0.0.0/8").Protocol);
    }

    [Fact]
    public async Task A_route_on_a_down_device_is_refused()
    {
        var k = new FakeKernel();
        k.AddLink("wg9", up: false, kind: "wireguard");
        var result = await Batch(k, "route add 10.0.0.0/8 dev wg9 table 254 proto 188");
        Assert.Contains("Network is down", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_restore_changes_nothing()
    {
        var k = new FakeKernel();
        var before = k.Dump();
        var result = await k.RunAsync(new CommandRequest("iptables-nft-restore", ["--noflush", "--wait"])
        {
            Stdin = "*filter\n:BC-INPUT - [0:0]\n-I INPUT 1 -m comment --comment branch-connector -j BC-INPUT\n-D INPUT -j NOPE\nCOMMIT\n",
        }, CancellationToken.None);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 4 failed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, k.Dump());
    }

    [Fact]
    public async Task Deleting_a_link_takes_its_routes_of_every_protocol()
    {
        var k = new FakeKernel();
        await k.RunAsync(CommandRequest.Of("ip", "link", "add", "dev", "wg0", "type", "wireguard"), CancellationToken.None);
        await Batch(k, "link set dev wg0 up\nroute add 10.0.0.0/8 dev wg0 table 254 proto 188\nroute add 10.1.0.0/16 dev wg0 table 100");
        await k.RunAsync(CommandRequest.Of("ip", "link", "del", "dev", "wg0"), CancellationToken.None);
        Assert.Empty(k.Routes);
    }

    [Fact]
    public async Task An_unmodelled_command_is_an_error_of_the_test_not_a_success()
    {
        var k = new FakeKernel();
        await Assert.ThrowsAsync<NotSupportedException>(() => k.RunAsync(CommandRequest.Of("ip", "neigh", "flush", "all"), CancellationToken.None));
    }
}
