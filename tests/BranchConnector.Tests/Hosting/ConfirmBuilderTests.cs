using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Hosting.Documents;
using BranchConnector.Agent.Linux;
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
    private static readonly DesiredConfig Config = DesiredConfig.Empty with { Topics = [.. Topics] };
    private static readonly ConfirmUnits Units = new BatchDocument().Units(new DecodedBatch(7, "h", null, Config));

    private static PlannedChange From(string topic, ChangeKind kind, string subsystem, string what) =>
        new(kind, subsystem, what) { Origin = Config.OriginOf(topic) };

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
            Command(Stage.Interface, From("interface", ChangeKind.Added, "interface", "address 10.0.0.1/24 on lan0")),
            // A removal has no origin: it counts under the topic that owns its stage.
            Command(Stage.Static, From("static", ChangeKind.Added, "static", "route 10.9.0.0/16"), new PlannedChange(ChangeKind.Removed, "static", "route 10.8.0.0/16")),
            Command(Stage.Firewall,
                From("nat44", ChangeKind.Added, "firewall", "-t nat -A BC-POSTROUTING x"),
                From("acl", ChangeKind.Changed, "firewall", "-t filter -A BC-FORWARD y"),
                From("wireguard", ChangeKind.Added, "firewall", "-t mangle -A BC-MSS z")),
        };
        var confirm = builder.Applied("batch", 7, "h", Received, Outcome(commands, unchanged: 3), Units, []);

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
        var route = From("static", ChangeKind.Added, "static", "route 10.9.0.0/16");
        var failing = Command(Stage.Static, route);
        var result = new CommandResult(failing.Request, 2, "", "RTNETLINK answers: File exists\n", TimeSpan.Zero, false);
        var outcome = Outcome([failing], failure: new ApplyFailure(failing, result, route), rolledBack: true);

        var confirm = builder.Applied("batch", 8, "h", Received, outcome, Units, []);

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
    public void Refused_plan_is_blamed_on_the_topic_of_the_missing_link()
    {
        var (builder, _) = Builder();
        var problem = new Agent.Linux.Interfaces.MissingLink("lan0") { Origin = Config.OriginOf("interface") };
        var outcome = new ReconcileOutcome(new ReconcilePlan([], [problem], 0, OwnershipRecord.Empty, OwnershipRecord.Empty), null,
            [problem.Message], false, null, TimeSpan.Zero);

        var confirm = builder.Applied("batch", 9, "h", Received, outcome, Units, []);

        var error = Assert.IsType<Agent.Protocol.Outbound.ConfirmError>(confirm.Error);
        Assert.Equal(0, error.Index);
        Assert.Equal("interface lan0 does not exist", error.Message);
        Assert.False(confirm.Results[0].Success);
    }

    [Fact]
    public void A_conflict_is_blamed_on_the_topic_whose_object_collides()
    {
        var (builder, _) = Builder();
        var conflict = new IntentConflict("route", "10.9.0.0/16 table 254", "via 10.0.0.1", "via 10.0.0.2", Config.OriginOf("wireguard"), Config.OriginOf("static"));
        var outcome = new ReconcileOutcome(new ReconcilePlan([], [], 0, OwnershipRecord.Empty, OwnershipRecord.Empty), null,
            [conflict.Message], false, null, TimeSpan.Zero) { Conflicts = [conflict] };

        var confirm = builder.Applied("batch", 10, "h", Received, outcome, Units, []);

        var error = Assert.IsType<Agent.Protocol.Outbound.ConfirmError>(confirm.Error);
        Assert.Equal(2, error.Index);
        Assert.Equal("static", error.Topic);
        Assert.Equal(new[] { true, true, false, true, true }, confirm.Results.Select(r => r.Success));
    }

    [Fact]
    public void Peering_changes_count_under_their_group_and_removals_under_the_first()
    {
        var (builder, _) = Builder();
        var peering = new DesiredPeering(
            [new WireGuardGroup("g-a", "A", "mesh", PeeringRole.MeshPeer, "wg2", "10.99.0.1/24", null, 30, []),
             new WireGuardGroup("g-b", "B", "mesh", PeeringRole.MeshPeer, "wg2", "10.98.0.1/24", null, 30, [])],
            [new IpsecGroup("g-c", "C", "mesh", PeeringRole.MeshPeer, 4500, "198.51.100.2", [])]);
        var units = new PeeringDocument().Units(new DecodedPeering(3, "h", null, peering));
        var commands = new[]
        {
            Command(Stage.WireGuard,
                new PlannedChange(ChangeKind.Added, "wireguard", "peer AAAA on wg2") { Origin = new GroupOrigin("g-b") },
                new PlannedChange(ChangeKind.Removed, "wireguard", "peer BBBB on wg2")),
            Command(Stage.Xfrm, new PlannedChange(ChangeKind.Added, "peering", "SA l-1") { Origin = new GroupOrigin("g-c") }),
            // The batch's objects are not this document's: counted in the totals, under no group.
            Command(Stage.Static, new PlannedChange(ChangeKind.Added, "static", "route 10.9.0.0/16") { Origin = Config.OriginOf("static") }),
        };

        var confirm = builder.Applied("e2e-peering", 3, "h", Received, Outcome(commands), units, []);

        Assert.Equal(["g-a", "g-b", "g-c"], confirm.Results.Select(r => r.Topic));
        Assert.Equal(new[] { 1, 1, 1 }, confirm.Results.Select(r => r.Changes));
        Assert.Equal(new Agent.Protocol.Outbound.ConfirmChanges(3, 1, 0, 0), confirm.Changes);
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
