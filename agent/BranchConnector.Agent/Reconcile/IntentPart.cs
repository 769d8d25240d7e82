using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Reconcile;

/// <summary>
/// A batch topic's own part of the intent (<see cref="KernelIntent.Parts"/>), planned by the topic's
/// <see cref="IKernelSubsystem"/>; derive an immutable record per topic.
/// </summary>
public abstract record IntentPart
{
    /// <summary>The topic and index that asked for it; the subsystem puts it on the changes it plans.</summary>
    public Origin? Origin { get; init; }
}
