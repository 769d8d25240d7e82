using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Linux;

/// <summary>
/// Two different desired objects with one kernel identity (say, two routes to one destination in one table with
/// one metric). The intent is refused as a whole and nothing changes; the Confirm blames the origins.
/// </summary>
public sealed record IntentConflict(string What, string Identity, string First, string Second, Origin? FirstOrigin, Origin? SecondOrigin)
{
    public string Message => $"two different desired {What}s with the same identity {Identity}: {First} and {Second}";
}
