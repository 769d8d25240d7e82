using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Health;

/// <summary>
/// What the Inform message says about the box itself. <paramref name="Os"/> and <paramref name="Kernel"/> are
/// null when the files are unreadable; <paramref name="PrivateIps"/> holds every non-loopback address the agent
/// can see, without prefix length (inside a container: the container's addresses, as seed 001 notes).
/// </summary>
public sealed record HostFacts(
    string Hostname,
    string? Os,
    string? Kernel,
    EquatableList<string> PrivateIps,
    long UptimeS,
    DateTimeOffset StartedAt);
