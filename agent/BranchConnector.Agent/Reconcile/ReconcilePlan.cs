using BranchConnector.Agent.Linux.Interfaces;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// The ordered commands that take the kernel from the observed to the desired state, the problems that stop
/// it from being applied at all, and the ownership journal to write before and after applying.
/// </summary>
public sealed record ReconcilePlan(
    IReadOnlyList<PlannedCommand> Commands,
    IReadOnlyList<InterfaceProblem> Problems,
    int Unchanged,
    OwnershipRecord OwnedBefore,
    OwnershipRecord OwnedAfter)
{
    /// <summary>Old SAs still to be removed after a rekey; hold them for the next plan, and plan again at <see cref="NextRemoval"/>.</summary>
    public IReadOnlyList<RetiringSa> RetiringSas { get; init; } = [];
    public DateTimeOffset? NextRemoval => RetiringSas.Count == 0 ? null : RetiringSas.Min(r => r.RemoveAfter);

    /// <summary>Parts of the intent this box cannot carry out (named, not failed): e.g. SAs on a kernel without ESP.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>IPSec SA start numbers to record before the plan runs (write-ahead, like <see cref="OwnedBefore"/>).</summary>
    public IReadOnlyDictionary<SaSequenceKey, ulong> SequencesBefore { get; init; } = new Dictionary<SaSequenceKey, ulong>();

    /// <summary>Links whose outbound SA is not installed with the keys the agent has: the hub must send new ones.</summary>
    public IReadOnlyList<RekeyNeed> RekeyNeeds { get; init; } = [];

    public bool IsEmpty => Commands.Count == 0;
    public int Count(ChangeKind kind) => Commands.Sum(c => c.Changes.Count(x => x.Kind == kind));
    public IEnumerable<PlannedChange> Changes => Commands.SelectMany(c => c.Changes);
}
