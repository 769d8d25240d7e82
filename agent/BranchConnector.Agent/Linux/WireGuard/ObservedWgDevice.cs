using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>
/// A WireGuard device as `wg show IF dump` reports it. The private key the dump prints is never kept:
/// the public key says whether the device holds ours, and preshared keys are kept only as a digest.
/// </summary>
public sealed record ObservedWgDevice(string Interface, string? PublicKey, int ListenPort, uint Fwmark, EquatableList<ObservedWgPeer> Peers);

public sealed record ObservedWgPeer(
    string PublicKey,
    string? PresharedKeyDigest,
    string? Endpoint,
    EquatableList<string> AllowedIps,
    DateTimeOffset? LatestHandshake,
    long RxBytes,
    long TxBytes,
    int PersistentKeepalive);
