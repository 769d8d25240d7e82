using System.Globalization;

namespace BranchConnector.Agent.Status;

public enum StatusPermission { None, Read, Full }

/// <summary>Who may use the status socket: root may do anything, members of the group may read, nobody else.</summary>
public static class StatusAccess
{
    public const string GroupName = "branch-connector";

    public static StatusPermission For(PeerCredentials peer, UnixAccounts accounts) =>
        peer.Uid == 0 ? StatusPermission.Full
        : accounts.IsMember(peer.Uid, peer.Gid, GroupName) ? StatusPermission.Read
        : StatusPermission.None;

    /// <summary>The refusal for a request the peer may not make; null when allowed.</summary>
    public static string? Refusal(StatusPermission permission, string request, uint uid) => permission switch
    {
        StatusPermission.Full => null,
        StatusPermission.Read when request == StatusRequest.Status => null,
        StatusPermission.Read => string.Create(CultureInfo.InvariantCulture, $"permission denied: '{request}' changes state and needs root (uid {uid})"),
        _ => NotAllowed(uid),
    };

    public static string NotAllowed(uint uid) =>
        string.Create(CultureInfo.InvariantCulture, $"permission denied: uid {uid} is neither root nor in group {GroupName}");
}
