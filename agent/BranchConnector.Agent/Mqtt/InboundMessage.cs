namespace BranchConnector.Agent.Mqtt;

/// <summary>Something that arrived on a subscribed topic, handed from the MQTT client to the agent.</summary>
public abstract record InboundMessage(string Topic, int Qos, bool Retained);

/// <summary>A message within the size limit, payload copied out of MQTTnet's pooled buffer.</summary>
public sealed record InboundPublish(string Topic, ReadOnlyMemory<byte> Payload, int Qos, bool Retained)
    : InboundMessage(Topic, Qos, Retained);

/// <summary>A message over the size limit: dropped unread, only its topic and size remain (the agent answers too_large).</summary>
public sealed record InboundTooLarge(string Topic, int Size, int Qos, bool Retained)
    : InboundMessage(Topic, Qos, Retained);
