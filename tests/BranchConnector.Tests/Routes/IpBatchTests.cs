using BranchConnector.Agent.Linux;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Tests.Routes;

public class IpBatchTests
{
    [Fact]
    public void Renders_one_mutating_process_with_the_lines_on_stdin()
    {
        var request = IpBatch.Render(["route add 10.0.0.0/8 dev a table 254 proto 188", "rule add priority 5180 table 254"]);
        Assert.Equal("ip -batch -", request.CommandLine);
        Assert.Equal("route add 10.0.0.0/8 dev a table 254 proto 188\nrule add priority 5180 table 254\n", request.Stdin);
        Assert.True(request.Mutates);
        Assert.Equal("ip -6 -batch -", IpBatch.Render(["rule add priority 5180 table 254"], IpFamily.V6).CommandLine);
    }

    [Theory]
    [InlineData("RTNETLINK answers: File exists\nCommand failed -:1\n", 1)]
    [InlineData("Cannot find device \"nosuch0\"\nCommand failed -:37\n", 37)]
    [InlineData("Error: Nexthop has invalid gateway.\nCommand failed -:500\n", 500)]
    public void Finds_the_failing_line_in_real_ip_stderr(string stderr, int line) => Assert.Equal(line, IpBatchFailure.Parse(stderr));

    [Fact]
    public void No_line_number_when_ip_did_not_name_one() => Assert.Null(IpBatchFailure.Parse("cannot start ip: No such file"));

    [Fact]
    public void Maps_the_failing_line_back_to_its_change()
    {
        var first = new PlannedChange(ChangeKind.Added, "static", "one");
        var second = new PlannedChange(ChangeKind.Added, "static", "two");
        var command = Assert.Single(IpBatch.Plan(Stage.Static, IpFamily.V4, [new("route add a", first), new("route add b", second)], false));
        Assert.Same(second, IpBatchFailure.FailingChange(command, "Command failed -:2\n"));
        Assert.Equal("route add b", IpBatchFailure.FailingLine(command.Request.Stdin, "Command failed -:2\n"));
        Assert.Empty(IpBatch.Plan(Stage.Static, IpFamily.V4, [], false));
    }
}
