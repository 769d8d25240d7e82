using System.Net;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// What a valid Binding success response told us: the transport address the server saw us on.
/// <paramref name="FromXorMappedAddress"/> is false when only the legacy MAPPED-ADDRESS was present.
/// </summary>
public sealed record StunBindingResponse(IPEndPoint MappedAddress, bool FromXorMappedAddress, string? Software);
