namespace BranchConnector.Agent.Mqtt;

/// <summary>What became of a publish when <see cref="IMqttSession.PublishAsync"/> returned.</summary>
public enum MqttPublishOutcome
{
    /// <summary>QoS 0, written to the connection.</summary>
    Sent,

    /// <summary>QoS 1, the broker's PUBACK arrived.</summary>
    Acknowledged,

    /// <summary>QoS 1, waiting in the outbox for the next connection (sent again then).</summary>
    Queued,
}
