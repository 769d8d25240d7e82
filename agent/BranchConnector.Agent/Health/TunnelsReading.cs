using BranchConnector.Agent.Protocol.Outbound;

namespace BranchConnector.Agent.Health;

/// <summary>The tunnels as last read from the kernel and when: what /metrics serves without running a command.</summary>
public sealed record TunnelsReading(IReadOnlyList<TunnelStatusEntry> Tunnels, DateTimeOffset At);
