using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BranchConnector.IntegrationTests.Health;

/// <summary>
/// Creates sockets inside a named network namespace from the test process: a dedicated thread enters the
/// namespace with setns(2), creates the socket and switches back. A socket belongs to the namespace it was
/// created in for its whole life, so it can then be used from any thread.
/// </summary>
internal static class NetnsSocketFactory
{
    private const int CloneNewNet = 0x40000000;

    public static Func<AddressFamily, Socket> For(string netns) => family => Create(netns, family);

    public static Socket Create(string netns, AddressFamily family)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var original = File.OpenHandle("/proc/thread-self/ns/net");
                using var target = File.OpenHandle($"/var/run/netns/{netns}");
                Enter(target, netns);
                try
                {
                    socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                }
                finally
                {
                    Enter(original, "the original namespace");
                }
            }
            catch (Exception ex)
            {
                // Anything escaping a raw thread would take the whole test host down; report it to the caller instead.
                failure = ex;
            }
        }) { IsBackground = true, Name = $"netns {netns}" };
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException($"cannot create a socket in {netns}", failure);
        return socket ?? throw new InvalidOperationException($"no socket created in {netns}");
    }

    private static void Enter(SafeFileHandle namespaceFile, string what)
    {
        if (SetNs((int)namespaceFile.DangerousGetHandle(), CloneNewNet) != 0)
            throw new InvalidOperationException($"setns into {what} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    // DllImport rather than LibraryImport: the generated marshaller needs AllowUnsafeBlocks in the test project.
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
}
