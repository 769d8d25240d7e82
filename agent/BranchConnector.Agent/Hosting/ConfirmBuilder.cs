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
    /// A reconcile's Confirm. <paramref name="units"/> are the document's commands (batch: topic and index; peering:
    /// group id), each change counts under its origin and a failure is blamed on the origin of what failed.
    /// </summary>
    public ConfirmPayload Applied(
        string kind, long sequence, string hash, DateTimeOffset receivedAt, ReconcileOutcome outcome, ConfirmUnits units, IReadOnlyList<string> warnings)
    {
        var plan = outcome.Plan;
        var failed = outcome.Succeeded ? null : units.Blamed(outcome);
        var results = units.Units.Select((unit, index) =>
        {
            var count = plan.Commands.Sum(c => c.Changes.Count(ch => Equals(units.UnitOf(c, ch), unit)));
            return new ConfirmResult(index, unit.Name, !Equals(unit, failed), count);
        }).ToList();

        ConfirmError? error = null;
        if (!outcome.Succeeded)
        {
            var index = failed is null ? -1 : units.IndexOf(failed);
            int? at = index < 0 ? null : index;
            var topic = failed?.Name;
            var failure = outcome.Failure;
            error = failure is not null
                ? new ConfirmError(ErrorCodes.ApplyFailed, at, topic,
                    $"{failure.CommandText} failed" + (failure.FailingChange is { } ch ? $" while applying: {ch}" : ""),
                    failure.CommandText, failure.Result.ExitCode, failure.Stderr)
                : new ConfirmError(ErrorCodes.ApplyFailed, at, topic, string.Join("; ", outcome.Problems), null, null, null);
        }
        var changes = outcome.Succeeded
            ? new ConfirmChanges(plan.Count(ChangeKind.Added), plan.Count(ChangeKind.Removed), plan.Count(ChangeKind.Changed), plan.Unchanged)
            : ConfirmChanges.None;
        return new ConfirmPayload(serial, kind, sequence, hash, outcome.Succeeded, receivedAt,
            outcome.Succeeded ? clock.GetUtcNow() : null, Elapsed(receivedAt), changes, results, error, outcome.RolledBack, warnings);
    }

    private long Elapsed(DateTimeOffset since) => Math.Max(0, (long)(clock.GetUtcNow() - since).TotalMilliseconds);

    /// <summary>Applied but not (fully) saved: the box runs the document, a restart would not know it.</summary>
    public static ConfirmPayload WithPersistenceWarnings(ConfirmPayload confirm, IReadOnlyList<string> problems) =>
        problems.Count == 0 ? confirm : confirm with
        {
            Warnings = [.. confirm.Warnings, .. problems.Select(p => p + "; applied but not persisted: after a restart the agent starts from the last document it could save")],
        };
}
