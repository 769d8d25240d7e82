namespace BranchConnector.Agent.Config;

/// <summary>agent.yaml after validation (<see cref="AgentSettingsLoader"/>). Paths are absolute.</summary>
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

    /// <summary>One line per ignored (unknown) key, naming the file and the key; logged at start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How often the reconciler re-checks everything it owns and repairs drift (tests shorten it).</summary>
    public int DriftCheckIntervalS { get; init; } = 60;

    /// <summary>`metrics.listen`: where /metrics is served; null = off (the default).</summary>
    public BranchConnector.Agent.Metrics.MetricsEndpoint? Metrics { get; init; }
}

/// <summary>Urls are normalised to "mqtt[s]://host:port" with the port always present (1883 / 8883 by default).</summary>
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

/// <summary>UserspaceCommand is a bare command name (looked up on PATH) or an absolute path.</summary>
public sealed record WireGuardSettings(WireGuardImplementation Implementation, string UserspaceCommand);

public enum FirewallBackendChoice { Auto, IptablesNft, IptablesLegacy }

public sealed record FirewallSettings(bool Manage, FirewallBackendChoice Backend);

/// <summary>Level is one of <see cref="Levels"/>, lower case.</summary>
public sealed record LogSettings(string Level)
{
    public const string DefaultLevel = "information";

    public static IReadOnlyList<string> Levels { get; } = ["verbose", "debug", "information", "warning", "error", "fatal"];
}
