using System.Net;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// The outcome for one configured server. <paramref name="ServerAddress"/> is null when the name did not
/// resolve (no request was sent); <paramref name="MappedAddress"/> is null when no valid answer came back.
/// </summary>
public sealed record StunServerAnswer(Endpoint Server, IPEndPoint? ServerAddress, IPEndPoint? MappedAddress, TimeSpan? RoundTrip)
{
    public bool RequestSent => ServerAddress is not null;
    public bool Answered => MappedAddress is not null;
}
