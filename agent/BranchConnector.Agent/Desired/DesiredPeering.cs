namespace BranchConnector.Agent.Desired;

/// <summary>A validated e2e-peering document: the groups this connector is a member of.</summary>
public sealed record DesiredPeering(EquatableList<WireGuardGroup> WireGuardGroups, EquatableList<IpsecGroup> IpsecGroups)
{
    public static readonly DesiredPeering Empty = new([], []);

    /// <summary>The one peering interface every WireGuard group shares (null when there is no WireGuard group).</summary>
    public string? WireGuardInterface => WireGuardGroups.Count == 0 ? null : WireGuardGroups[0].Interface;
}

public enum PeeringRole { MeshPeer, Spoke }

public sealed record WireGuardGroup(
    string Id,
    string Name,
    string Topology,
    PeeringRole Role,
    string Interface,
    string TunnelAddress,
    int? ListenPort,
    int DirectTimeoutS,
    EquatableList<PeeringMember> Members);

public sealed record PeeringMember(string Serial, string PublicKey, Endpoint? Endpoint, string? TunnelIp, EquatableList<string> AllowedIps);

public sealed record IpsecGroup(
    string Id,
    string Name,
    string Topology,
    PeeringRole Role,
    int ListenPort,
    string LocalAddress,
    EquatableList<IpsecLink> Links);

public sealed record IpsecLink(
    string Id,
    string PeerSerial,
    string RemoteAddress,
    int RemotePort,
    EquatableList<string> LocalSubnets,
    EquatableList<string> RemoteSubnets,
    IpsecSa Outbound,
    IpsecSa Inbound);

/// <summary>One direction's SA: SPI and the 36-byte rfc4106 key+salt (72 hex chars).</summary>
public sealed record IpsecSa(uint Spi, Secret Key);
