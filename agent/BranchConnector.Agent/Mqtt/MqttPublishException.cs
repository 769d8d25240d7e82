namespace BranchConnector.Agent.Mqtt;

/// <summary>The broker refused a publish (its PUBACK carried a reason code of 0x80 or more: not authorised, quota, ...).</summary>
public sealed class MqttPublishException : Exception
{
    public MqttPublishException() { }
    public MqttPublishException(string message) : base(message) { }
    public MqttPublishException(string message, Exception inner) : base(message, inner) { }
}
