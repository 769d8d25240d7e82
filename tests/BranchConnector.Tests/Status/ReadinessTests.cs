using BranchConnector.Agent.Cli;

namespace BranchConnector.Tests.Status;

public sealed class ReadinessTests
{
    [Fact]
    public void Active_with_backbone_up_is_ready() => Assert.Null(StatusCommand.ReadinessProblem(StatusSamples.Active()));

    [Fact]
    public void Pending_is_not_ready() =>
        Assert.Equal("state is pending_approval", StatusCommand.ReadinessProblem(StatusSamples.Active() with { State = "pending_approval" }));

    [Fact]
    public void Backbone_down_is_not_ready()
    {
        var s = StatusSamples.Active();
        s = s with { Tunnels = [s.Tunnels[0] with { Status = "down" }] };
        Assert.Equal("backbone wg0 is down", StatusCommand.ReadinessProblem(s));
    }
}
