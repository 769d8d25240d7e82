using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Time.Testing;

namespace BranchConnector.Tests.Hosting;

/// <summary>The Confirm mapping: per-topic results, the failing unit, change counts and the clock-derived fields.</summary>
public sealed class ConfirmBuilderTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Topics = ["interface", "wireguard", "static", "nat44", "acl"];

    private static PlannedCommand Command(Stage stage, params PlannedChange[] changes) =>
        new(stage, new CommandRequest("ip", ["-batch", "-"]), changes);

    private static ReconcileOutcome Outcome(IReadOnlyList<PlannedCommand> commands, int unchanged = 0, ApplyFailure? failure = null, bool rolledBack = false) =>
        new(new ReconcilePlan(commands, [], unchanged, OwnershipRecord.Empty, OwnershipRecord.Empty),
            new ApplyResult(commands.Count, failure), [], rolledBack, null, TimeSpan.Zero);

    private static (ConfirmBuilder Builder, FakeTimeProvider Clock) Builder()
    {
        var clock = new FakeTimeProvider(Received);
        return (new ConfirmBuilder("BC-1", clock), clock);
    }

    [Fact]
    public void Success_counts_each_change_under_its_topic_and_stamps_the_clock()
    {
        var (builder, clock) = Builder();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        var commands = new[]
        {
            Command(Stage.Interface, new PlannedChange(ChangeKind.Added, "interface", "address 10.0.0.1/24 on lan0")),
            Command(Stage.Static, new PlannedChange(ChangeKind.Added, "static", "route 10.9.0.0/16"), new PlannedChange(ChangeKind.Removed, "static", "route 10.8.0.0/16")),
            Command(Stage.Firewall,
                new PlannedChange(ChangeKind.Added, "firewall", "-t nat -A BC-POSTROUTING x"),
                new PlannedChange(ChangeKind.Changed, "firewall", "-t filter -A BC-FORWARD y"),
                new PlannedChange(ChangeKind.Added, "firewall", "-t mangle -A BC-MSS z")),
        };
        var confirm = builder.Applied("batch", 7, "h", Received, Outcome(commands, unchanged: 3), Topics, BatchTopicMap.TopicOf, BatchTopicMap.TopicOf, []);

        Assert.True(confirm.Success);
        Assert.Equal(Received.AddMilliseconds(250), confirm.AppliedAt);
        Assert.Equal(250, confirm.DurationMs);
        Assert.Equal(new[] { 1, 1, 2, 1, 1 }, confirm.Results.Select(r => r.Changes));
        Assert.Equal(Topics, confirm.Results.Select(r => r.Topic));
        Assert.Equal(Enumerable.Range(0, 5), confirm.Results.Select(r => r.Index));
        Assert.All(confirm.Results, r => Assert.True(r.Success));
        Assert.Equal(new Agent.Protocol.Outbound.ConfirmChanges(4, 1, 1, 3), confirm.Changes);
        Assert.Null(confirm.Error);
    }

    [Fact]
    public void A_failing_command_marks_its_topic_and_names_the_command()
    {
        var (builder, _) = Builder();
        var route = new PlannedChange(ChangeKind.Added, "static", "route 10.9.0.0/16");
        var failing = Command(Stage.Static, route);
        var result = new CommandResult(failing.Request, 2, "", "RTNETLINK answers: File exists\n", TimeSpan.Zero, false);
        var outcome = Outcome([failing], failure: new ApplyFailure(failing, result, route), rolledBack: true);

        var confirm = builder.Applied("batch", 8, "h", Received, outcome, Topics, BatchTopicMap.TopicOf, BatchTopicMap.TopicOf, []);

        Assert.False(confirm.Success);
        Assert.Null(confirm.AppliedAt);
        Assert.True(confirm.RolledBack);
        Assert.Equal(Agent.Protocol.Outbound.ConfirmChanges.None, confirm.Changes);
        Assert.Equal(new[] { true, true, false, true, true }, confirm.Results.Select(r => r.Success));
        var error = Assert.IsType<Agent.Protocol.Outbound.ConfirmError>(confirm.Error);
        Assert.Equal(ErrorCodes.ApplyFailed, error.Code);
        Assert.Equal(2, error.Index);
        Assert.Equal("static", error.Topic);
        Assert.Equal(2, error.ExitCode);
        Assert.Equal("RTNETLINK answers: File exists", error.Stderr);
        Assert.Contains("while applying: added static route 10.9.0.0/16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_plan_is_blamed_on_the_interface_topic()
    {
        var (builder, _) = Builder();
        var outcome = new ReconcileOutcome(new ReconcilePlan([], [], 0, OwnershipRecord.Empty, OwnershipRecord.Empty), null,
            ["lan0 does not exist"], false, null, TimeSpan.Zero);

        var confirm = builder.Applied("batch", 9, "h", Received, outcome, Topics, BatchTopicMap.TopicOf, BatchTopicMap.TopicOf, []);

        var error = Assert.IsType<Agent.Protocol.Outbound.ConfirmError>(confirm.Error);
        Assert.Equal(0, error.Index);
        Assert.Equal("lan0 does not exist", error.Message);
        Assert.False(confirm.Results[0].Success);
    }

    [Fact]
    public void Rejected_keeps_the_first_error_and_lists_the_others_as_warnings()
    {
        var (builder, clock) = Builder();
        clock.Advance(TimeSpan.FromSeconds(2));
        var errors = new[]
        {
            new ValidationError(ErrorCodes.InvalidField, "$.commands[0].mtu", "too small"),
            new ValidationError(ErrorCodes.InvalidField, "$.commands[2].routes[1]", "bad prefix"),
        };

        var confirm = builder.Rejected("batch", 3, "h", Received, errors);

        Assert.False(confirm.Success);
        Assert.Equal(2000, confirm.DurationMs);
        Assert.Equal("$.commands[0].mtu: too small", confirm.Error!.Message);
        Assert.Single(confirm.Warnings);
        Assert.StartsWith("also ", confirm.Warnings[0], StringComparison.Ordinal);
    }
}
