namespace BranchConnector.Agent.Mqtt;

/// <summary>A publish was attempted while the session had no broker connection.</summary>
public sealed class MqttNotConnectedException : Exception
{
    public MqttNotConnectedException() : base("not connected to the MQTT broker") { }
    public MqttNotConnectedException(string message) : base(message) { }
    public MqttNotConnectedException(string message, Exception inner) : base(message, inner) { }
}
