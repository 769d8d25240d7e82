using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Status;

/// <summary>The process on the other end of a connected AF_UNIX socket, as the kernel recorded it at connect (SO_PEERCRED).</summary>
public readonly partial record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    [StructLayout(LayoutKind.Sequential)]
    private struct UCred
    {
        public int Pid;
        public uint Uid;
        public uint Gid;
    }

    /// <summary>.NET has no API for SO_PEERCRED; getsockopt(2) directly.</summary>
    public static unsafe PeerCredentials Of(Socket socket)
    {
        UCred cred = default;
        var length = (uint)sizeof(UCred);
        if (Native.GetSockOpt((int)socket.Handle, SolSocket, SoPeerCred, &cred, &length) != 0)
            throw new SocketException(Marshal.GetLastPInvokeError());
        return new PeerCredentials(cred.Pid, cred.Uid, cred.Gid);
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
        public static unsafe partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);
    }
}
