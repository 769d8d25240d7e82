namespace BranchConnector.Agent.Mqtt.Native;

/// <summary>What libmosquitto reports, already copied into managed memory. Called on the loop thread only.</summary>
internal interface IMosquittoEvents
{
    void OnConnect(int reasonCode);
    void OnDisconnect(int reasonCode);

    /// <summary>The payload span is only valid during the call.</summary>
    void OnMessage(string topic, ReadOnlySpan<byte> payload, int qos, bool retain);

    void OnSubscribe(int mid, IReadOnlyList<int> grantedQos);
    void OnPublish(int mid, int reasonCode);
    void OnLog(int level, string message);
}
