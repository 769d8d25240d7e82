using BranchConnector.Agent.Config;

namespace BranchConnector.Agent.Hosting;

/// <summary>The MQTT topic names of spec/protocol.md for one serial and the configured prefixes.</summary>
public sealed record AgentTopics(string Serial, string South, string North)
{
    public static AgentTopics From(AgentSettings s) => new(s.Serial, s.Topics.SouthboundPrefix, s.Topics.NorthboundPrefix);

    public string SubscribeFilter => $"{South}/{Serial}/#";
    public string Batch => $"{South}/{Serial}/batch";
    public string Peering => $"{South}/{Serial}/e2e-peering";
    public string Lifecycle => $"{South}/{Serial}/lifecycle";
    public string Time => $"{South}/{Serial}/time";

    public string Register => $"{North}/{Serial}/register";
    public string State => $"{North}/{Serial}/state";
    public string ConfigConfirm => $"{North}/{Serial}/config/confirm";
    public string ConfigRequest => $"{North}/{Serial}/config/request";
    public string PeeringConfirm => $"{North}/{Serial}/e2e-peering/confirm";
    public string Keepalive => $"{North}/{Serial}/keepalive";
    public string TunnelStatus => $"{North}/{Serial}/tunnel/status";
    public string Inform => $"{North}/{Serial}/inform";
    public string TimeRequest => $"{North}/{Serial}/time/request";
    public string HaState => $"{North}/{Serial}/ha/state";
}
