using System.Collections.Concurrent;
using BranchConnector.Agent.Mqtt;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>
/// What was last sent on a topic: the report's own signature of it (timestamps aside) and when, as a
/// monotonic timestamp of the agent's clock (a wall clock set back must not hold the next report back).
/// </summary>
public sealed record SentMessage(string Signature, long Timestamp);

/// <summary>
/// Publishes northbound messages and remembers what was last sent per topic, so reports publish only when
/// something changed. While the broker is unreachable, messages on <paramref name="keptWhileOffline"/> topics
/// (Confirms, Register, State: what the hub must not miss) go to the session's outbox and are delivered after
/// the reconnect; the rest are dropped (reports are periodic); the memory is kept, as the report would be the
/// same again.
/// </summary>
public sealed class Publisher(TimeProvider clock, ILogger<Publisher> logger, IReadOnlySet<string>? keptWhileOffline = null)
{
    private IMqttSession? _session;
    private readonly ConcurrentDictionary<string, SentMessage> _lastSent = new(StringComparer.Ordinal);

    public void Attach(IMqttSession session) => _session = session;

    public bool Connected => _session?.Status.Connected ?? false;

    public SentMessage? LastSent(string topic) => _lastSent.GetValueOrDefault(topic);

    /// <summary>The next report on <paramref name="topic"/> counts as changed (after a reconnect or a repair).</summary>
    public void Forget(string topic) => _lastSent.TryRemove(topic, out _);

    public Task PublishAsync(string topic, byte[] payload, int qos, bool retain, CancellationToken ct) =>
        PublishAsync(topic, payload, qos, retain, null, ct);

    /// <summary>Publishes and, with a <paramref name="signature"/>, records it as what was last sent on the topic.</summary>
    public async Task PublishAsync(string topic, byte[] payload, int qos, bool retain, string? signature, CancellationToken ct)
    {
        if (signature is not null) _lastSent[topic] = new SentMessage(signature, clock.GetTimestamp());
        if (_session is not { } session || !session.Status.Connected && !(qos == 1 && keptWhileOffline?.Contains(topic) == true))
        {
            logger.LogDebug("not connected: {Topic} not published", topic);
            return;
        }
        try
        {
            await session.PublishAsync(topic, payload, qos, retain, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttNotConnectedException or MqttPublishException)
        {
            logger.LogWarning("publish to {Topic} failed: {Message}", topic, ex.Message);
        }
    }
}
