using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Linux;

/// <summary>One line of `ip -batch -` input and the one object-level change it makes.</summary>
public sealed record IpBatchLine(string Text, PlannedChange Change)
{
    public override string ToString() => Text;
}
