using BranchConnector.Agent.Protocol.Values;

namespace BranchConnector.Agent.Protocol.Peering;

/// <summary>What the groups of one peering document must agree on, gathered while reading them in order.</summary>
internal sealed class PeeringContext
{
    /// <summary>The one peering interface, fixed by the first WireGuard group (path of that group for messages).</summary>
    public (string Name, string Path)? WireGuardInterface { get; set; }
    public (int Port, string Path)? WireGuardListenPort { get; set; }
    public Dictionary<string, string> PublicKeys { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> MemberAllowedIps { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> LinkIds { get; } = new(StringComparer.Ordinal);
    public Dictionary<uint, string> Spis { get; } = [];
    public List<(Cidr Subnet, string Path)> RemoteSubnets { get; } = [];
}
