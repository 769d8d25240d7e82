using System.Globalization;

namespace BranchConnector.Agent.Status;

/// <summary>
/// The few facts about local accounts the status socket needs, read from /etc/passwd and /etc/group text
/// (no NSS: a box with LDAP users would list them in neither, and they are then simply not members).
/// </summary>
public sealed record UnixAccounts(IReadOnlyDictionary<uint, (string Name, uint PrimaryGid)> Users, IReadOnlyDictionary<string, (uint Gid, IReadOnlyList<string> Members)> Groups)
{
    public static UnixAccounts Read(string passwdPath = "/etc/passwd", string groupPath = "/etc/group") =>
        Parse(ReadOrEmpty(passwdPath), ReadOrEmpty(groupPath));

    public static UnixAccounts Parse(string passwd, string group)
    {
        var users = new Dictionary<uint, (string, uint)>();
        foreach (var f in Records(passwd))
            if (f.Length >= 4 && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && uint.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                users.TryAdd(uid, (f[0], gid));
        var groups = new Dictionary<string, (uint, IReadOnlyList<string>)>(StringComparer.Ordinal);
        foreach (var f in Records(group))
            if (f.Length >= 4 && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                groups.TryAdd(f[0], (gid, f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return new UnixAccounts(users, groups);
    }

    public uint? GroupId(string name) => Groups.TryGetValue(name, out var g) ? g.Gid : null;

    /// <summary>Primary group (from the peer's credentials or /etc/passwd) or a supplementary member in /etc/group.</summary>
    public bool IsMember(uint uid, uint peerGid, string groupName)
    {
        if (!Groups.TryGetValue(groupName, out var g)) return false;
        if (peerGid == g.Gid) return true;
        if (!Users.TryGetValue(uid, out var user)) return false;
        return user.PrimaryGid == g.Gid || g.Members.Contains(user.Name, StringComparer.Ordinal);
    }

    private static IEnumerable<string[]> Records(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(':'));

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
