namespace BranchConnector.Agent.Desired;

/// <summary>
/// Which part of which document asked for a desired object. It travels with the object through the intent into
/// every planned change, so a Confirm counts and blames changes by where they came from, never by their text.
/// </summary>
public abstract record Origin
{
    /// <summary>The name a Confirm gives the unit: the topic of a batch command, the id of a peering group.</summary>
    public abstract string Name { get; }
}

/// <summary>A batch command: its topic and its index in the batch's `commands` (-1 when the batch has no such command).</summary>
public sealed record TopicOrigin(string Topic, int Index) : Origin
{
    public override string Name => Topic;
}

/// <summary>A group of the e2e-peering document (WireGuard or IPSec), by id.</summary>
public sealed record GroupOrigin(string GroupId) : Origin
{
    public override string Name => GroupId;
}
