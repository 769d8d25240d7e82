using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>
/// The retained State message: published when the effective lifecycle changed (or forced, on connect), with
/// `since` the moment it last changed.
/// </summary>
public sealed class StateReport(Publisher publisher, Reports reports, AgentTopics topics, TimeProvider clock)
{
    private DateTimeOffset _since = clock.GetUtcNow();

    /// <summary>The next publish counts as a change (reconnect, drift repaired).</summary>
    public void Forget() => publisher.Forget(topics.State);

    public async Task PublishAsync(bool force, CancellationToken ct)
    {
        var state = reports.EffectiveLifecycle().ToWire();
        var last = publisher.LastSent(topics.State)?.Signature;
        if (!force && state == last) return;
        if (state != last) _since = clock.GetUtcNow();
        await publisher.PublishAsync(topics.State, ProtocolJson.Serialize(reports.StatePayload(_since)), 1, true, state, ct).ConfigureAwait(false);
    }

    /// <summary>Decommissioned: the last retained State, offline, that no will replaces.</summary>
    public Task PublishGoneAsync(CancellationToken ct) =>
        publisher.PublishAsync(topics.State, ProtocolJson.Serialize(reports.StatePayload(clock.GetUtcNow(), online: false)), 1, true, ct);
}
