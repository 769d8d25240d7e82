using System.Net;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// All answers of one query, made from one socket. <paramref name="LocalEndPoint"/> is the address the kernel
/// uses as source towards the servers with the socket's port, null when it could not be learned.
/// </summary>
public sealed record StunQueryResult(IPEndPoint? LocalEndPoint, IReadOnlyList<StunServerAnswer> Answers);
