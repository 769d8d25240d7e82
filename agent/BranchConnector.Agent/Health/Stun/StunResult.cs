namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// The Inform message's `stun` object. <paramref name="Server"/> is the configured server whose answer is
/// reported, <paramref name="MappedAddress"/> the public "ip:port" it saw ("[v6]:port" for IPv6).
/// </summary>
public sealed record StunResult(string? Server, string? MappedAddress, string NatMapping, bool UdpBlocked, DateTimeOffset CheckedAt);
