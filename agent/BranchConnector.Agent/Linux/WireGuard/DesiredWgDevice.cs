using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>What one agent-owned WireGuard device should hold. Endpoints are already resolved to ip:port text.</summary>
public sealed record DesiredWgDevice(string Interface, string PublicKey, int? ListenPort, uint Fwmark, EquatableList<DesiredWgPeer> Peers)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }

    /// <summary>The key pair the device uses ("backbone" or "peering"); the interface name when not set.</summary>
    public string? KeyName { get; init; }
}

public sealed record DesiredWgPeer(string PublicKey, Secret? PresharedKey, string? Endpoint, EquatableList<string> AllowedIps, int PersistentKeepalive)
{
    /// <summary>The document part that asked for it; not compared with what the kernel holds.</summary>
    public Origin? Origin { get; init; }
}
