using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Status;

/// <summary>Owner group and mode of the socket file: the unit runs with UMask=0077, so both are set explicitly.</summary>
public static partial class SocketFileAccess
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>0660, and the group when it exists; returns the group id applied, or null.</summary>
    public static uint? Apply(string path, uint? groupId)
    {
        File.SetUnixFileMode(path, Mode);
        if (groupId is not { } gid) return null;
        // uid -1: leave the owner as it is.
        if (Chown(path, uint.MaxValue, gid) != 0)
            throw new IOException($"cannot set the group of {path} to {gid}: errno {Marshal.GetLastPInvokeError()}");
        return gid;
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);
}
