using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The entries of a Confirm's `results` (a batch's commands, a peering document's groups) and whom a planned
/// change belongs to: its origin. A removal has no desired object and so no origin; it counts under the unit
/// <paramref name="RemovalOwner"/> names for its stage (the batch: the topic that owns the subsystem; peering:
/// the first group).
/// </summary>
public sealed record ConfirmUnits(IReadOnlyList<Origin> Units, Func<Stage, Origin?> RemovalOwner)
{
    public Origin? UnitOf(PlannedCommand command, PlannedChange change) => change.Origin ?? RemovalOwner(command.Stage);

    public int IndexOf(Origin unit)
    {
        for (var i = 0; i < Units.Count; i++) if (Equals(Units[i], unit)) return i;
        return -1;
    }

    /// <summary>
    /// The unit a failed reconcile is blamed on: the failing change's origin (or the failing command's), else the
    /// first conflicting or refused object's. An origin from the other document (a peering route failing during a
    /// batch) is blamed on the unit that owns its stage here.
    /// </summary>
    public Origin? Blamed(ReconcileOutcome outcome)
    {
        if (outcome.Failure is { } failure)
        {
            var command = failure.Command;
            var origin = failure.FailingChange is { } change ? UnitOf(command, change)
                : command.Changes.Select(c => c.Origin).FirstOrDefault(o => o is not null) ?? RemovalOwner(command.Stage);
            return Own(origin, command.Stage);
        }
        if (outcome.Conflicts.Count > 0)
        {
            var conflict = outcome.Conflicts[0];
            return new[] { conflict.SecondOrigin, conflict.FirstOrigin }.FirstOrDefault(o => o is not null && IndexOf(o) >= 0)
                ?? conflict.SecondOrigin ?? conflict.FirstOrigin;
        }
        return outcome.Plan.Problems.Count > 0 ? Own(outcome.Plan.Problems[0].Origin, Stage.Interface) : null;
    }

    private Origin? Own(Origin? origin, Stage stage) =>
        origin is not null && IndexOf(origin) >= 0 ? origin : RemovalOwner(stage) ?? origin;
}
