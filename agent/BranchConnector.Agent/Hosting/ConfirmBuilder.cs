using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Hosting;

/// <summary>Turns validation errors and reconcile outcomes into the Confirm payloads of spec/protocol.md.</summary>
public sealed class ConfirmBuilder(string serial, TimeProvider clock)
{
    public ConfirmPayload Rejected(string kind, long? sequence, string? hash, DateTimeOffset receivedAt, IReadOnlyList<ValidationError> errors) =>
        new(serial, kind, sequence, hash, false, receivedAt, null, Elapsed(receivedAt), ConfirmChanges.None, [],
            ConfirmError.From(errors[0]), false,
            // The Confirm has room for one error; the others still reach the operator.
            errors.Skip(1).Select(e => "also " + e).ToList());

    /// <summary>
    /// A document that waited in the queue while a newer one (<paramref name="newer"/>) arrived: not applied. It
    /// gets `stale_sequence`, the code it would have got had it arrived after the newer one was applied.
    /// </summary>
    public ConfirmPayload Superseded(string kind, long sequence, string? hash, DateTimeOffset receivedAt, long? newer) =>
        Rejected(kind, sequence, hash, receivedAt, [new ValidationError(ErrorCodes.StaleSequence, "sequence",
            $"superseded by sequence {(newer is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "a newer one")} received before this one could be applied; nothing of it was applied")]);

    public ConfirmPayload Repeated(string kind, long sequence, string hash, DateTimeOffset receivedAt, DateTimeOffset? appliedAt) =>
        new(serial, kind, sequence, hash, true, receivedAt, appliedAt, Elapsed(receivedAt), ConfirmChanges.None, [], null, false, []);

    /// <summary>
    /// A reconcile's Confirm. <paramref name="units"/> are the document's commands (batch: topic per index; peering:
    /// group id per index) and <paramref name="unitOf"/> says which of them a planned change belongs to.
    /// </summary>
    public ConfirmPayload Applied(
        string kind, long sequence, string hash, DateTimeOffset receivedAt, ReconcileOutcome outcome,
        IReadOnlyList<string> units, Func<PlannedCommand, PlannedChange, string?> unitOf, Func<PlannedCommand, string?> unitOfCommand,
        IReadOnlyList<string> warnings)
    {
        var plan = outcome.Plan;
        var failure = outcome.Failure;
        var failedUnit = failure is null ? null : failure.FailingChange is { } fc ? unitOf(failure.Command, fc) : unitOfCommand(failure.Command);
        if (failure is null && outcome.Problems.Count > 0) failedUnit = "interface";

        var results = units.Select((unit, index) =>
        {
            var count = plan.Commands.Sum(c => c.Changes.Count(ch => unitOf(c, ch) == unit));
            return new ConfirmResult(index, unit, unit != failedUnit, count);
        }).ToList();

        ConfirmError? error = null;
        if (!outcome.Succeeded)
        {
            var index = failedUnit is null ? -1 : IndexOf(units, failedUnit);
            error = failure is not null
                ? new ConfirmError(ErrorCodes.ApplyFailed, index < 0 ? null : index, index < 0 ? failedUnit : units[index],
                    $"{failure.CommandText} failed" + (failure.FailingChange is { } ch ? $" while applying: {ch}" : ""),
                    failure.CommandText, failure.Result.ExitCode, failure.Stderr)
                : new ConfirmError(ErrorCodes.ApplyFailed, index < 0 ? null : index, index < 0 ? failedUnit : units[index],
                    string.Join("; ", outcome.Problems), null, null, null);
        }
        var changes = outcome.Succeeded
            ? new ConfirmChanges(plan.Count(ChangeKind.Added), plan.Count(ChangeKind.Removed), plan.Count(ChangeKind.Changed), plan.Unchanged)
            : ConfirmChanges.None;
        return new ConfirmPayload(serial, kind, sequence, hash, outcome.Succeeded, receivedAt,
            outcome.Succeeded ? clock.GetUtcNow() : null, Elapsed(receivedAt), changes, results, error, outcome.RolledBack, warnings);
    }

    private static int IndexOf(IReadOnlyList<string> units, string unit)
    {
        for (var i = 0; i < units.Count; i++) if (units[i] == unit) return i;
        return -1;
    }

    private long Elapsed(DateTimeOffset since) => Math.Max(0, (long)(clock.GetUtcNow() - since).TotalMilliseconds);

    /// <summary>Applied but not (fully) saved: the box runs the document, a restart would not know it.</summary>
    public static ConfirmPayload WithPersistenceWarnings(ConfirmPayload confirm, IReadOnlyList<string> problems) =>
        problems.Count == 0 ? confirm : confirm with
        {
            Warnings = [.. confirm.Warnings, .. problems.Select(p => p + "; applied but not persisted: after a restart the agent starts from the last document it could save")],
        };
}
