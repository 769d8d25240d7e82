using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>What a lifecycle message asks of the rest of the agent afterwards.</summary>
public enum LifecycleFollowUp { None, PublishState, PublishRegister, Stop }

/// <summary>approve, decommission and rotate_keys (spec/protocol.md "Lifecycle").</summary>
public sealed class LifecycleProcessor(AgentServices services, ILogger<LifecycleProcessor> logger)
{
    public async Task<LifecycleFollowUp> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var decoded = LifecycleDecoder.Decode(payload.Span);
        if (!decoded.IsValid)
        {
            logger.LogWarning("lifecycle message rejected: {Errors}", string.Join("; ", decoded.Errors));
            return LifecycleFollowUp.None;
        }
        var state = services.State;
        if (state.PersistedLifecycle == LifecycleState.Decommissioned) return LifecycleFollowUp.None;
        var message = decoded.Message!;
        switch (message.Action)
        {
            case LifecycleAction.Approve:
                if (state.PersistedLifecycle != LifecycleState.PendingApproval) return LifecycleFollowUp.None;
                await SaveLifecycleAsync(LifecycleMachine.OnApprove(state.PersistedLifecycle), ct).ConfigureAwait(false);
                logger.LogInformation("approved by the hub");
                return LifecycleFollowUp.PublishState;

            case LifecycleAction.RotateKeys:
                foreach (var name in KeyNames.All) await services.Keys.GenerateAsync(name, ct).ConfigureAwait(false);
                logger.LogInformation("key pairs rotated ({Reason})", message.Reason ?? "no reason given");
                var (_, outcome) = await services.Coordinator.ApplyAsync(state.Config, state.Peering, "rotate_keys", rollbackOnFailure: false, ct).ConfigureAwait(false);
                if (!outcome.Succeeded) logger.LogError("rotate_keys: applying the new keys failed: {Reason}", outcome.Failure?.Result.Describe());
                return LifecycleFollowUp.PublishRegister;

            case LifecycleAction.Decommission:
                await DecommissionAsync(services, logger, message.Reason, ct).ConfigureAwait(false);
                return LifecycleFollowUp.Stop;

            default:
                return LifecycleFollowUp.None;
        }
    }

    /// <summary>Removes everything the agent owns, wipes keys and documents, and records the irreversible state.</summary>
    public static async Task DecommissionAsync(AgentServices services, ILogger logger, string? reason, CancellationToken ct)
    {
        var outcome = await services.Reconciler.ReconcileAsync(KernelIntent.RemoveEverything, null, "decommission", ct).ConfigureAwait(false);
        if (!outcome.Succeeded)
            logger.LogError("decommission: removing kernel objects failed: {Reason}", outcome.Failure?.Result.Describe() ?? string.Join("; ", outcome.Problems));
        services.Keys.WipeAll();
        services.Store.WipeDocuments();
        services.Journal.Wipe();
        services.State.SetApplied(null, null, KernelIntent.Empty, []);
        var persisted = services.State.Update(p => new PersistedState { Lifecycle = LifecycleState.Decommissioned.ToWire(), DriftRepairs = p.DriftRepairs });
        await services.Store.SaveAsync(persisted, ct).ConfigureAwait(false);
        logger.LogWarning("decommissioned ({Reason}): kernel objects, keys and applied config removed; this agent will not run again", reason ?? "no reason given");
    }

    private async Task SaveLifecycleAsync(LifecycleState next, CancellationToken ct)
    {
        var persisted = services.State.Update(p => p with { Lifecycle = next.ToWire() });
        await services.Store.SaveAsync(persisted, ct).ConfigureAwait(false);
    }
}
