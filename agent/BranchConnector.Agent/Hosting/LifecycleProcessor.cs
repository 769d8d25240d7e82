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
public sealed class LifecycleProcessor(AgentState state, StateCommitter commit, KeyStore keys, ApplyCoordinator coordinator, Decommissioner decommissioner, ILogger<LifecycleProcessor> logger, Ha.HaService? ha = null)
{
    public async Task<LifecycleFollowUp> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var decoded = LifecycleDecoder.Decode(payload.Span);
        if (!decoded.IsValid)
        {
            logger.LogWarning("lifecycle message rejected: {Errors}", string.Join("; ", decoded.Errors));
            return LifecycleFollowUp.None;
        }
        if (state.PersistedLifecycle == LifecycleState.Decommissioned) return LifecycleFollowUp.None;
        var message = decoded.Message!;
        switch (message.Action)
        {
            case LifecycleAction.Approve:
                if (state.PersistedLifecycle != LifecycleState.PendingApproval) return LifecycleFollowUp.None;
                await commit.CommitLifecycleAsync(LifecycleMachine.OnApprove(state.PersistedLifecycle), ct).ConfigureAwait(false);
                logger.LogInformation("approved by the hub");
                return LifecycleFollowUp.PublishState;

            case LifecycleAction.RotateKeys:
                foreach (var name in KeyNames.All) await keys.GenerateAsync(name, ct).ConfigureAwait(false);
                logger.LogInformation("key pairs rotated ({Reason})", message.Reason ?? "no reason given");
                var (_, outcome) = await coordinator.ApplyAsync(state.Config, state.Peering, "rotate_keys", rollbackOnFailure: false, ct).ConfigureAwait(false);
                if (!outcome.Succeeded) logger.LogError("rotate_keys: applying the new keys failed: {Reason}", outcome.Failure?.Result.Describe());
                return LifecycleFollowUp.PublishRegister;

            case LifecycleAction.Drain or LifecycleAction.Undrain:
                var drain = message.Action == LifecycleAction.Drain;
                if (ha is null || !await ha.SetDrainedAsync(drain, message.Reason, ct).ConfigureAwait(false))
                    logger.LogWarning("lifecycle {Action} refused ({Code}): the applied batch has no ha topic", drain ? "drain" : "undrain", ErrorCodes.NotAllowed);
                return LifecycleFollowUp.None;

            case LifecycleAction.Decommission:
                await decommissioner.DecommissionAsync(message.Reason, ct).ConfigureAwait(false);
                return LifecycleFollowUp.Stop;

            default:
                return LifecycleFollowUp.None;
        }
    }
}
