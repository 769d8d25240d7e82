using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Reconcile;

/// <summary>Apply order on the way up, removals in reverse (spec: interface → wireguard → static → nat44 → acl); <see cref="Topic"/>: the subsystem a batch topic brings (<see cref="IKernelSubsystem"/>), last.</summary>
public enum Stage { Interface = 0, WireGuard = 1, Static = 2, Peering = 3, Firewall = 4, Xfrm = 5, Topic = 6 }

public enum ChangeKind { Added, Removed, Changed }

/// <summary>One object-level change (one route, one address, one peer, one rule) that a command carries out.</summary>
public sealed record PlannedChange(ChangeKind Kind, string Subsystem, string What)
{
    /// <summary>The document part that asked for the object; null for a removal (nothing asks for it any more).</summary>
    public Origin? Origin { get; init; }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Subsystem} {What}";
}

/// <summary>One tool invocation of a plan and the changes it makes. Removal commands carry <see cref="IsRemoval"/>.</summary>
public sealed record PlannedCommand(Stage Stage, CommandRequest Request, IReadOnlyList<PlannedChange> Changes)
{
    public bool IsRemoval { get; init; }
}

/// <summary>What one subsystem's planner returns: the commands (in its own order) and how many desired objects already matched.</summary>
public sealed record SubsystemPlan(IReadOnlyList<PlannedCommand> Commands, int Unchanged)
{
    public static readonly SubsystemPlan Nothing = new([], 0);

    /// <summary>What the subsystem cannot do on this box but does not fail on (a missing service, say): Confirm warnings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public int ChangeCount(ChangeKind kind) => Commands.Sum(c => c.Changes.Count(x => x.Kind == kind));
}
