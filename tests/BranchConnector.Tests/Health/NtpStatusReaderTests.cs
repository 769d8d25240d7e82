using BranchConnector.Agent.Health.Time;

namespace BranchConnector.Tests.Health;

public class NtpStatusReaderTests
{
    [Theory]
    [InlineData(0, "yes\n", true)]
    [InlineData(0, "no\n", false)]
    [InlineData(0, "", null)]
    [InlineData(0, "maybe\n", null)]
    [InlineData(1, "", null)]   // "System has not been booted with systemd"
    [InlineData(127, "", null)] // timedatectl not installed
    public async Task Reads_timedatectl_NTPSynchronized(int exit, string stdout, bool? expected)
    {
        var runner = new FakeCommandRunner(_ => (exit, stdout, ""));
        Assert.Equal(expected, await new NtpStatusReader(runner).ReadAsync(CancellationToken.None));
        Assert.Equal("timedatectl show -p NTPSynchronized --value", Assert.Single(runner.Requests).CommandLine);
    }
}
