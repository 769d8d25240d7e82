namespace BranchConnector.Agent.Mqtt;

/// <summary>libmosquitto refused a publish (bad topic, payload too big for the broker, ...).</summary>
public sealed class MqttPublishException : Exception
{
    public MqttPublishException() { }
    public MqttPublishException(string message) : base(message) { }
    public MqttPublishException(string message, Exception inner) : base(message, inner) { }
}
