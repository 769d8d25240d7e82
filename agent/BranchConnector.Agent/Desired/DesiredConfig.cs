namespace BranchConnector.Agent.Desired;

/// <summary>
/// The complete desired state of one batch, validated. Addresses and CIDRs are canonical text
/// ("192.168.10.1/24", prefix networks with host bits cleared), interface names are kernel-valid.
/// A topic absent from the batch is an empty value here ("none of that").
/// </summary>
public sealed record DesiredConfig(
    EquatableList<InterfaceSpec> Interfaces,
    BackboneSpec? Backbone,
    EquatableList<StaticRoute> Routes,
    EquatableList<NatRule> Nat,
    AclSpec Acl,
    MonitoringSpec Monitoring)
{
    public static readonly DesiredConfig Empty = new([], null, [], [], AclSpec.Empty, MonitoringSpec.Default);

    /// <summary>Topics present in the batch, in the order they appeared (for per-command results in the Confirm).</summary>
    public EquatableList<string> Topics { get; init; } = [];

    /// <summary>Where objects of <paramref name="topic"/> come from: its command's index in this batch.</summary>
    public TopicOrigin OriginOf(string topic)
    {
        for (var i = 0; i < Topics.Count; i++) if (Topics[i] == topic) return new(topic, i);
        return new(topic, -1);
    }
    /// <summary>`ha` topic (a redundant pair); null when absent. Ha/ holds its reader and its supervisor.</summary>
    public Ha.HaSpec? Ha { get; init; }
}

/// <summary>`interface` topic: addresses and MTU on an existing link.</summary>
public sealed record InterfaceSpec(string Name, EquatableList<string> Addresses, int? Mtu);

public enum HubKind { DedicatedEdge, Mtge, None }

/// <summary>`wireguard` topic. Null in <see cref="DesiredConfig.Backbone"/> when the topic is absent.</summary>
public sealed record BackboneSpec(
    string Interface,
    bool Enabled,
    EquatableList<string> Addresses,
    int? ListenPort,
    int? Mtu,
    HubKind Kind,
    HubPeer? Hub,
    EquatableList<string> LanSubnets);

/// <summary>The hub peer; null when <see cref="BackboneSpec.Kind"/> is <see cref="HubKind.None"/>.</summary>
public sealed record HubPeer(
    string Name,
    string PublicKey,
    Endpoint? Endpoint,
    EquatableList<string> AllowedIps,
    int? PersistentKeepalive,
    Secret? PresharedKey);

/// <summary>host:port, where host is a literal address or a DNS name (resolved at apply).</summary>
public sealed record Endpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>`static` topic route. Table 254 is main. Installed with proto 188.</summary>
public sealed record StaticRoute(string Destination, string? Gateway, string? Interface, int? Metric, int Table);

public enum NatType { Masquerade, Snat, Dnat }

public sealed record NatRule(
    NatType Type,
    string? Source,
    string? Destination,
    string? InInterface,
    string? OutInterface,
    string? Protocol,
    int? DestinationPort,
    string? ToAddress,
    Endpoint? To);

public enum AclChain { Forward, Input }
public enum AclAction { Accept, Drop, Reject }

public sealed record AclSpec(AclAction ForwardPolicy, AclAction InputPolicy, EquatableList<AclRule> Rules)
{
    public static readonly AclSpec Empty = new(AclAction.Accept, AclAction.Accept, []);
}

/// <summary>One acl rule. Ports are iptables multiport text ("22,80,1000:2000") after validation.</summary>
public sealed record AclRule(
    string Name,
    AclChain Chain,
    AclAction Action,
    string? InInterface,
    string? OutInterface,
    string? Source,
    string? Destination,
    string? Protocol,
    string? DestinationPorts,
    string? SourcePorts);

public sealed record MonitoringSpec(
    int TunnelStatusIntervalS,
    int KeepaliveIntervalS,
    int InformIntervalS,
    int HandshakeTimeoutS,
    EquatableList<Endpoint> StunServers)
{
    public static readonly MonitoringSpec Default = new(60, 30, 60, 180, []);
}
