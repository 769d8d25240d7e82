using BranchConnector.Agent.Mqtt;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>Publishes northbound messages; while the broker is unreachable they are dropped (reports are periodic, state is re-sent on connect).</summary>
public sealed class Publisher(ILogger<Publisher> logger)
{
    private IMqttSession? _session;

    public void Attach(IMqttSession session) => _session = session;

    public async Task PublishAsync(string topic, byte[] payload, int qos, bool retain, CancellationToken ct)
    {
        if (_session is not { } session || !session.Status.Connected)
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
