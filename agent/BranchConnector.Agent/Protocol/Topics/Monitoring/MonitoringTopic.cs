using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>`monitoring`: report intervals and STUN servers, all optional (defaults in <see cref="MonitoringSpec.Default"/>).</summary>
internal sealed class MonitoringTopic : IBatchTopic
{
    public const string Name = "monitoring";
    public const int MaxSeconds = 86400;

    public static MonitoringSpec Read(ObjectReader body)
    {
        var defaults = MonitoringSpec.Default;
        var stun = new List<Endpoint>();
        foreach (var (text, path) in body.Strings("stun_servers"))
        {
            var endpoint = FieldReads.Endpoint(text, path, body.Errors, allowHostname: true, FamilyRule.Any);
            if (endpoint is null) continue;
            if (stun.Contains(endpoint)) body.Errors.Invalid(path, $"'{endpoint}' is listed twice");
            else stun.Add(endpoint);
        }
        return new MonitoringSpec(
            body.Int("tunnel_status_interval_s", false, 1, MaxSeconds) ?? defaults.TunnelStatusIntervalS,
            body.Int("keepalive_interval_s", false, 1, MaxSeconds) ?? defaults.KeepaliveIntervalS,
            body.Int("inform_interval_s", false, 1, MaxSeconds) ?? defaults.InformIntervalS,
            body.Int("handshake_timeout_s", false, 1, MaxSeconds) ?? defaults.HandshakeTimeoutS,
            stun.ToEquatableList());
    }

    // IBatchTopic: the registry entry (Protocol/BatchTopics.cs).
    string IBatchTopic.Name => Name;
    public DesiredConfig Read(DesiredConfig config, ObjectReader body) => config with { Monitoring = Read(body) };
}
