using BranchConnector.Agent.Health;

namespace BranchConnector.Tests.Health;

public sealed class HostFactsTests : IDisposable
{
    private const string IpJson = """
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"link_type":"loopback",
          "addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host"},
                       {"family":"inet6","local":"::1","prefixlen":128,"scope":"host"}]},
         {"ifindex":2,"ifname":"eth0","flags":["BROADCAST","UP"],"link_type":"ether",
          "addr_info":[{"family":"inet","local":"192.168.10.1","prefixlen":24,"scope":"global"},
                       {"family":"inet","local":"192.168.10.2","prefixlen":24,"scope":"global","secondary":true},
                       {"family":"inet6","local":"fd00::2","prefixlen":64,"scope":"global"},
                       {"family":"inet6","local":"fe80::1","prefixlen":64,"scope":"link"}]},
         {"ifindex":3,"ifname":"ifb0","flags":["BROADCAST","NOARP"],"link_type":"ether","addr_info":[]},
         {"ifindex":4,"ifname":"wg0","flags":["POINTOPOINT","NOARP","UP"],"link_type":"none",
          "addr_info":[{"family":"inet","local":"10.255.0.2","prefixlen":32,"scope":"global"},
                       {"family":"inet","local":"127.0.0.53","prefixlen":32,"scope":"host"}]}]
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("bc-hostfacts-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Ip_json_gives_every_address_except_loopback()
    {
        Assert.Equal(["192.168.10.1", "192.168.10.2", "fd00::2", "fe80::1", "10.255.0.2"], IpAddrJsonParser.NonLoopbackAddresses(IpJson));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("[{\"addr_info\": 5}, 3, {\"addr_info\":[{\"local\": 7}, {\"local\": \"x\"}]}]")]
    public void Unexpected_ip_output_gives_no_addresses_and_no_exception(string text)
    {
        Assert.Empty(IpAddrJsonParser.NonLoopbackAddresses(text));
    }

    [Fact]
    public void Os_release_pretty_name_is_unquoted()
    {
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", OsReleaseParser.PrettyName("NAME=\"Debian GNU/Linux\"\n# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"));
        Assert.Equal("Ubuntu \"Noble\"", OsReleaseParser.PrettyName("PRETTY_NAME=\"Ubuntu \\\"Noble\\\"\""));
        Assert.Equal("Alpine", OsReleaseParser.PrettyName("NAME='Alpine'"));
        Assert.Null(OsReleaseParser.PrettyName("ID=x"));
    }

    [Fact]
    public async Task Collector_reads_files_and_ip_and_counts_uptime_from_the_start()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "proc/sys/kernel"));
        await File.WriteAllTextAsync(Path.Combine(_root, "etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "proc/sys/kernel/osrelease"), "6.1.0-28-amd64\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "proc/sys/kernel/hostname"), "branch-07\n");
        var runner = new FakeCommandRunner(r => r.CommandLine == "ip -j addr show" ? (0, IpJson, "") : (1, "", "unexpected"));
        var started = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var time = new FixedTimeProvider(started.AddSeconds(3600.7));

        var facts = await new HostFactsCollector(runner, time, started, _root).CollectAsync(CancellationToken.None);

        Assert.Equal("branch-07", facts.Hostname);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", facts.Os);
        Assert.Equal("6.1.0-28-amd64", facts.Kernel);
        Assert.Equal(["192.168.10.1", "192.168.10.2", "fd00::2", "fe80::1", "10.255.0.2"], facts.PrivateIps);
        Assert.Equal(3600, facts.UptimeS);
        Assert.Equal(started, facts.StartedAt);
    }

    [Fact]
    public async Task Collector_falls_back_to_usr_lib_os_release_and_tolerates_missing_files_and_ip()
    {
        Directory.CreateDirectory(Path.Combine(_root, "usr/lib"));
        await File.WriteAllTextAsync(Path.Combine(_root, "usr/lib/os-release"), "NAME=Fallback\n");
        var runner = new FakeCommandRunner(_ => (127, "", "cannot start ip"));

        var facts = await new HostFactsCollector(runner, fileRoot: _root).CollectAsync(CancellationToken.None);

        Assert.Equal("Fallback", facts.Os);
        Assert.Null(facts.Kernel);
        Assert.Empty(facts.PrivateIps);
        Assert.False(string.IsNullOrEmpty(facts.Hostname));
        Assert.True(facts.UptimeS >= 0);
    }

    [Fact]
    public async Task Collector_on_this_machine_reads_the_real_kernel_release()
    {
        var facts = await new HostFactsCollector(new Agent.Tools.ProcessCommandRunner()).CollectAsync(CancellationToken.None);
        Assert.Equal((await File.ReadAllTextAsync("/proc/sys/kernel/osrelease")).Trim(), facts.Kernel);
        Assert.DoesNotContain("127.0.0.1", facts.PrivateIps);
        Assert.NotEmpty(facts.PrivateIps);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
