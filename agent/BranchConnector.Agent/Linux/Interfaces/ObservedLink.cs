using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux.Interfaces;

/// <summary>
/// A link as `ip -j -d addr show` prints it. Up is the administrative state (flag UP). Kind is linkinfo's
/// info_kind ("wireguard", "tun", "veth"; null for plain hardware). Addresses are canonical "ip/len",
/// every scope included (link-local too).
/// </summary>
public sealed record ObservedLink(string Name, int Index, int Mtu, bool Up, string? Kind, EquatableList<string> Addresses);
