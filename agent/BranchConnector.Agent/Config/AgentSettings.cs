namespace BranchConnector.Agent.Config;

/// <summary>agent.yaml after validation. Paths are absolute.</summary>
public sealed record AgentSettings(
    string Serial,
    BrokerSettings Broker,
    TopicSettings Topics,
    string StateDir,
    string RuntimeDir,
    WireGuardSettings WireGuard,
    FirewallSettings Firewall,
    LogSettings Log)
{
    /// <summary>The file it was loaded from (named in every error about a setting).</summary>
    public string SourceFile { get; init; } = "";
}

public sealed record BrokerSettings(
    IReadOnlyList<Uri> Urls,
    string? Username,
    string? PasswordFile,
    string? CaFile,
    string? CertFile,
    string? KeyFile,
    int KeepaliveS);

public sealed record TopicSettings(string SouthboundPrefix, string NorthboundPrefix);

public enum WireGuardImplementation { Auto, Kernel, Userspace }

public sealed record WireGuardSettings(WireGuardImplementation Implementation, string UserspaceCommand);

public enum FirewallBackendChoice { Auto, IptablesNft, IptablesLegacy }

public sealed record FirewallSettings(bool Manage, FirewallBackendChoice Backend);

public sealed record LogSettings(string Level);
