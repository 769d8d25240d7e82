using System.ComponentModel;
using System.Runtime.InteropServices;

namespace BranchConnector.Agent.Linux.Netlink;

/// <summary>
/// A read-only rtnetlink socket subscribed to link, address and route changes (what `ip monitor` prints).
/// The agent only needs to know *that* something changed, so messages are never parsed: the reconciler
/// observes the real state itself. .NET's Socket has no AF_NETLINK, hence the few libc calls.
/// </summary>
public sealed partial class NetlinkChangeSocket : IDisposable
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkRoute = 0;
    private const short PollIn = 0x1;
    // RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE
    private const uint Groups = 0x1 | 0x10 | 0x40 | 0x100 | 0x400;
    private readonly int _fd;
    private readonly byte[] _buffer = new byte[64 * 1024];

    public NetlinkChangeSocket()
    {
        _fd = socket(AfNetlink, SockRaw | SockCloexec, NetlinkRoute);
        if (_fd < 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), "rtnetlink socket");
        var address = new SockaddrNl { Family = AfNetlink, Groups = Groups };
        if (bind(_fd, ref address, Marshal.SizeOf<SockaddrNl>()) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            close(_fd);
            throw new Win32Exception(error, "rtnetlink bind");
        }
    }

    /// <summary>Blocks up to <paramref name="timeout"/> for change messages; true when some arrived (and were drained).</summary>
    public bool WaitForChange(TimeSpan timeout)
    {
        var poll = new PollFd { Fd = _fd, Events = PollIn };
        var ready = PollOnce(ref poll, (int)timeout.TotalMilliseconds);
        if (ready <= 0 || (poll.Revents & PollIn) == 0) return false;
        unsafe
        {
            fixed (byte* p = _buffer) recv(_fd, p, (nuint)_buffer.Length, 0);
        }
        return true;
    }

    public void Dispose() => close(_fd);

    private static int PollOnce(ref PollFd fd, int timeoutMs) => poll(ref fd, 1, timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    private struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, ref SockaddrNl address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(ref PollFd fds, ulong count, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
