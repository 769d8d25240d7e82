using System.Threading.Channels;

namespace BranchConnector.Agent.Mqtt;

/// <summary>The agent's only view of the broker; MQTTnet stays behind it.</summary>
public interface IMqttSession : IAsyncDisposable
{
    /// <summary>Connects, keeps the connection (reconnect, failover, back-off) until cancelled, then disconnects.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the session stops.</summary>
    ChannelReader<InboundMessage> Inbound { get; }

    /// <summary>
    /// QoS 0: sent while connected, else <see cref="MqttNotConnectedException"/>. QoS 1: at least once — while
    /// connected the call returns once the broker's PUBACK came (<see cref="MqttPublishOutcome.Acknowledged"/>);
    /// offline, or when the connection drops before the PUBACK, the message waits in the session's outbox and is
    /// sent again right after the next connect (<see cref="MqttPublishOutcome.Queued"/>). A refusal by the broker
    /// throws <see cref="MqttPublishException"/>.
    /// </summary>
    ValueTask<MqttPublishOutcome> PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken = default);

    MqttSessionStatus Status { get; }

    /// <summary>
    /// The coming clean stop disconnects without the will: the last retained State the agent published (for
    /// example `decommissioned`) must stay what the hub sees, not be replaced by `online: false`.
    /// </summary>
    void SkipWillOnShutdown();
}
