using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Health.Stun;
using BranchConnector.Agent.Health.Time;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The agent's in-memory picture: what is applied, what was last tried, the lifecycle, and the latest health
/// measurements. The work loop is the only writer of the applied state; reporters and the status socket read.
/// </summary>
public sealed class AgentState(TimeProvider clock)
{
    private readonly Lock _lock = new();

    public TimeProvider Clock => clock;
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    public PersistedState Persisted { get; private set; } = new();
    public DecodedBatch? AppliedBatch { get; private set; }
    public DecodedPeering? AppliedPeering { get; private set; }
    public KernelIntent AppliedIntent { get; private set; } = KernelIntent.Empty;

    /// <summary>When the backbone / peering devices were last (re)configured: a tunnel is "pending" for a while after.</summary>
    public DateTimeOffset? BackboneConfiguredAt { get; private set; }
    public DateTimeOffset? PeeringConfiguredAt { get; private set; }

    /// <summary>Old SAs of a rekey still to be removed (make-before-break), carried from one plan to the next.</summary>
    public IReadOnlyList<Linux.Xfrm.RetiringSa> RetiringSas { get; set; } = [];

    public StunResult? Stun { get; private set; }
    public TimeHealth? Time { get; private set; }
    public IReadOnlyList<string> ApplyWarnings { get; private set; } = [];

    public DesiredConfig Config => AppliedBatch?.Config ?? DesiredConfig.Empty;
    public DesiredPeering Peering => AppliedPeering?.Peering ?? DesiredPeering.Empty;
    public MonitoringSpec Monitoring => Config.Monitoring;
    public LifecycleState PersistedLifecycle => Persisted.LifecycleState;

    public void Load(PersistedState persisted)
    {
        lock (_lock) Persisted = persisted;
    }

    public PersistedState Update(Func<PersistedState, PersistedState> change)
    {
        lock (_lock) return Persisted = change(Persisted);
    }

    public void SetApplied(DecodedBatch? batch, DecodedPeering? peering, KernelIntent intent, IReadOnlyList<string> warnings)
    {
        lock (_lock)
        {
            if (batch is not null && FailedConfigAttempt is { } f && f.Sequence <= batch.Sequence) FailedConfigAttempt = null;
            if (peering is not null && FailedPeeringAttempt is { } g && g.Sequence <= peering.Sequence) FailedPeeringAttempt = null;
            AppliedBatch = batch;
            AppliedPeering = peering;
            AppliedIntent = intent;
            ApplyWarnings = warnings;
        }
    }

    public void MarkConfigured(bool backbone, bool peering, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (backbone) BackboneConfiguredAt = at;
            if (peering) PeeringConfiguredAt = at;
        }
    }

    /// <summary>The last batch that failed to apply (the applied one stays in <see cref="Persisted"/>), for status and Inform.</summary>
    public AppliedDocument? FailedConfigAttempt { get; private set; }
    public AppliedDocument? FailedPeeringAttempt { get; private set; }

    public void RecordFailedAttempt(AppliedDocument attempt)
    {
        lock (_lock) FailedConfigAttempt = attempt;
    }

    public void RecordFailedPeeringAttempt(AppliedDocument attempt)
    {
        lock (_lock) FailedPeeringAttempt = attempt;
    }

    /// <summary>What status shows as "config": the newest of the applied and the failed attempt.</summary>
    public AppliedDocument? LastConfig => Newest(Persisted.Config, FailedConfigAttempt);
    public AppliedDocument? LastPeering => Newest(Persisted.Peering, FailedPeeringAttempt);

    private static AppliedDocument? Newest(AppliedDocument? applied, AppliedDocument? failed) =>
        failed is null ? applied : applied is null || failed.Sequence > applied.Sequence ? failed : applied;

    public void SetStun(StunResult result)
    {
        lock (_lock) Stun = result;
    }

    public void SetTime(TimeHealth time)
    {
        lock (_lock) Time = time;
    }

    public long UptimeSeconds => (long)(clock.GetUtcNow() - StartedAt).TotalSeconds;
}
