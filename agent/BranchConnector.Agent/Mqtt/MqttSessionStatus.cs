namespace BranchConnector.Agent.Mqtt;

/// <summary>A snapshot of the broker connection, for the status command and health reports.</summary>
public sealed record MqttSessionStatus(
    bool Connected,
    Uri? CurrentUrl,
    DateTimeOffset? Since,
    string? LastError,
    bool IdentityConflict,
    long ConnectCount,
    long TooLargeDropped)
{
    public const string IdentityConflictText = "another device is using this connector's identity";

    public static MqttSessionStatus Initial { get; } = new(false, null, null, null, false, 0, 0);
}
