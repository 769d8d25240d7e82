using System.Threading.Channels;

namespace BranchConnector.Agent.Mqtt;

/// <summary>The agent's only view of the broker; libmosquitto stays behind it.</summary>
public interface IMqttSession : IAsyncDisposable
{
    /// <summary>Connects, keeps the connection (reconnect, failover, back-off) until cancelled, then disconnects.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the session stops.</summary>
    ChannelReader<InboundMessage> Inbound { get; }

    /// <summary>Hands the message to libmosquitto; throws <see cref="MqttNotConnectedException"/> when offline.</summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken = default);

    MqttSessionStatus Status { get; }

    /// <summary>
    /// The coming clean stop disconnects without the will: the last retained State the agent published (for
    /// example `decommissioned`) must stay what the hub sees, not be replaced by `online: false`.
    /// </summary>
    void SkipWillOnShutdown();
}
