using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using BranchConnector.Tests.FakeKernel;
using BranchConnector.Tests.Golden;

namespace BranchConnector.Tests.Reconcile;

/// <summary>
/// The hooks a batch topic with its own subsystem uses (docs/adding-a-topic.md): its intent part reaches its
/// planner, its observed state is read in the observer's pass, and its commands run after the shared stages
/// (removals before theirs), carrying the part's origin.
/// </summary>
public sealed class TopicSubsystemTests
{
    private sealed record Entries(EquatableList<string> Names) : IntentPart;

    /// <summary>A subsystem of named entries: what it reads is the set the test gives it.</summary>
    private sealed class EntrySubsystem(IReadOnlyList<string> live) : KernelSubsystem<IReadOnlyList<string>>
    {
        public override string Name => "entries";
        public override Task<IReadOnlyList<string>> ReadAsync(ICommandRunner runner, CancellationToken ct) => Task.FromResult(live);

        public override SubsystemPlan Plan(KernelIntent intent, IReadOnlyList<string> observed, PlannerContext ctx)
        {
            var part = intent.Parts.OfType<Entries>().SingleOrDefault();
            var want = part?.Names ?? [];
            var commands = new List<PlannedCommand>();
            foreach (var name in want.Except(observed))
                commands.Add(new PlannedCommand(Stage.Topic, new CommandRequest("entry", ["add", name]),
                    [new PlannedChange(ChangeKind.Added, Name, name) { Origin = part!.Origin }]));
            foreach (var name in observed.Except(want))
                commands.Add(new PlannedCommand(Stage.Topic, new CommandRequest("entry", ["del", name]),
                    [new PlannedChange(ChangeKind.Removed, Name, name) { Origin = part?.Origin }]) { IsRemoval = true });
            return new SubsystemPlan(commands, want.Intersect(observed).Count()) { Warnings = [$"{Name}: {observed.Count} live"] };
        }
    }

    private static readonly TopicOrigin Origin = new("entries", 5);

    [Fact]
    public async Task The_observer_reads_a_topic_subsystem_in_its_pass()
    {
        var box = new Box();
        var observer = new StateObserver(box.Kernel, null, box.Kernel.SysctlView, [new EntrySubsystem(["b"])]);

        var observed = await observer.ObserveAsync([], CancellationToken.None);

        Assert.Equal(["b"], Assert.IsAssignableFrom<IReadOnlyList<string>>(observed.Subsystems["entries"]));
    }

    [Fact]
    public async Task Its_commands_come_after_the_shared_stages_and_its_removals_first()
    {
        var intent = await PlanCases.IntentAsync(PlanCases.FullBatch()) with { Parts = [new Entries(["a", "c"]) { Origin = Origin }] };
        var observed = PlanCases.Empty with { Subsystems = new Dictionary<string, object> { ["entries"] = new[] { "b", "c" } } };
        var ctx = PlanCases.Context(OwnershipRecord.Empty) with { Subsystems = [new EntrySubsystem([])] };

        var plan = ReconcilePlanner.Plan(intent, observed, ctx);

        var up = plan.Commands.Where(c => !c.IsRemoval).ToList();
        Assert.Equal(Stage.Topic, up[^1].Stage);
        Assert.Equal(["add", "a"], up[^1].Request.Arguments);
        Assert.Equal(["del", "b"], plan.Commands.First(c => c.IsRemoval).Request.Arguments);
        Assert.All(plan.Commands.Where(c => c.Stage == Stage.Topic).SelectMany(c => c.Changes), ch => Assert.Equal(Origin, ch.Origin));
        var without = ReconcilePlanner.Plan(intent with { Parts = [] }, PlanCases.Empty, PlanCases.Context(OwnershipRecord.Empty));
        Assert.Equal(without.Unchanged + 1, plan.Unchanged);
        Assert.Contains("entries: 2 live", plan.Warnings);
    }

    [Fact]
    public void Cleanup_removes_everything_the_subsystem_holds()
    {
        var observed = PlanCases.Empty with { Subsystems = new Dictionary<string, object> { ["entries"] = new[] { "b" } } };
        var ctx = PlanCases.Context(OwnershipRecord.Empty) with { Subsystems = [new EntrySubsystem([])] };

        var plan = ReconcilePlanner.Plan(KernelIntent.RemoveEverything, observed, ctx);

        var removal = Assert.Single(plan.Commands, c => c.Stage == Stage.Topic);
        Assert.True(removal.IsRemoval);
        Assert.Equal(["del", "b"], removal.Request.Arguments);
    }
}
