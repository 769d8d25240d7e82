using System.Diagnostics;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// observe → plan → apply, for every trigger (batch, peering, start-up, drift check, rollback, cleanup).
/// Callers serialise calls; the reconciler itself holds no desired state.
/// </summary>
public sealed class Reconciler(StateObserver observer, PlanApplier applier, OwnershipJournal journal, Func<PlannerContext> context, ILogger<Reconciler> logger,
    SequenceRecordStore? sequences = null)
{
    /// <summary>Observes and plans without changing anything (render, status, tests).</summary>
    public async Task<ReconcilePlan> PlanAsync(KernelIntent intent, CancellationToken ct)
    {
        var observed = await ObserveAsync(intent, ct).ConfigureAwait(false);
        return ReconcilePlanner.Plan(intent, observed, context() with { Owned = journal.Current });
    }

    /// <summary>
    /// Brings the kernel to <paramref name="intent"/>. When a command fails, re-observes and applies
    /// <paramref name="fallback"/> (the previous applied state) so the box is left as it was.
    /// </summary>
    public async Task<ReconcileOutcome> ReconcileAsync(KernelIntent intent, KernelIntent? fallback, string trigger, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        if (IntentConflicts.Find(intent) is { Count: > 0 } conflicts)
        {
            // Two documents (or two parts of one) asking for different objects with one identity: refuse the whole intent, change nothing.
            var messages = conflicts.Select(c => c.Message).ToList();
            logger.LogWarning("{Trigger}: not applied: {Problem}", trigger, string.Join("; ", messages));
            var none = new ReconcilePlan([], [], 0, journal.Current, journal.Current);
            return new ReconcileOutcome(none, null, messages, false, null, Stopwatch.GetElapsedTime(started)) { Conflicts = conflicts };
        }
        var plan = await PlanAsync(intent, ct).ConfigureAwait(false);
        sequences?.SetRekeyNeeds(plan.RekeyNeeds);
        if (plan.Problems.Count > 0)
        {
            var problems = plan.Problems.Select(p => p.Message).ToList();
            logger.LogWarning("{Trigger}: not applied: {Problems}", trigger, string.Join("; ", problems));
            return new ReconcileOutcome(plan, null, problems, false, null, Stopwatch.GetElapsedTime(started));
        }
        if (plan.IsEmpty)
        {
            await journal.SaveAsync(plan.OwnedAfter, ct).ConfigureAwait(false);
            return new ReconcileOutcome(plan, new ApplyResult(0, null), [], false, null, Stopwatch.GetElapsedTime(started));
        }

        foreach (var change in plan.Changes) logger.LogInformation("{Trigger}: {Change}", trigger, change);
        await journal.SaveAsync(plan.OwnedBefore, ct).ConfigureAwait(false);
        if (sequences is not null) await sequences.RecordAsync(plan.SequencesBefore, ct).ConfigureAwait(false);
        var apply = await applier.ApplyAsync(plan, ct).ConfigureAwait(false);
        if (apply.Succeeded)
        {
            await journal.SaveAsync(plan.OwnedAfter, ct).ConfigureAwait(false);
            return new ReconcileOutcome(plan, apply, [], false, null, Stopwatch.GetElapsedTime(started));
        }

        var failure = apply.Failure!;
        logger.LogError("{Trigger}: {Command} failed (exit {Exit}): {Stderr}", trigger, failure.CommandText, failure.Result.ExitCode, failure.Stderr);
        if (fallback is null)
            return new ReconcileOutcome(plan, apply, [], false, null, Stopwatch.GetElapsedTime(started));

        var back = await PlanAsync(fallback, ct).ConfigureAwait(false);
        foreach (var change in back.Changes) logger.LogInformation("{Trigger} rollback: {Change}", trigger, change);
        await journal.SaveAsync(back.OwnedBefore, ct).ConfigureAwait(false);
        if (sequences is not null) await sequences.RecordAsync(back.SequencesBefore, ct).ConfigureAwait(false);
        var rollback = await applier.ApplyAsync(back, ct).ConfigureAwait(false);
        if (rollback.Succeeded) await journal.SaveAsync(back.OwnedAfter, ct).ConfigureAwait(false);
        else logger.LogError("{Trigger} rollback: {Command} failed: {Stderr}", trigger, rollback.Failure!.CommandText, rollback.Failure.Stderr);
        return new ReconcileOutcome(plan, apply, [], rollback.Succeeded, rollback.Failure, Stopwatch.GetElapsedTime(started));
    }

    private Task<ObservedState> ObserveAsync(KernelIntent intent, CancellationToken ct) =>
        observer.ObserveAsync(intent.WgDevices.Select(d => d.Interface).Concat(journal.Current.Devices), ct);
}
