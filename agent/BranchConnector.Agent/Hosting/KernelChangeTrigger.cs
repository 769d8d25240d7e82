using BranchConnector.Agent.Linux.Netlink;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Repairs sooner than the periodic check: a link, address or route change reported by rtnetlink queues a
/// drift check once the kernel has been quiet for a moment (so a burst, including the agent's own apply, gives
/// one check). The periodic check stays the safety net, and the only trigger for firewall drift, which
/// rtnetlink does not report.
/// </summary>
public sealed class KernelChangeTrigger(WorkQueue work, DriftCheck drift, ILogger<KernelChangeTrigger> logger)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs on a thread of its own: the socket is read with blocking poll/recv.</summary>
    public Task RunAsync(CancellationToken ct) => Task.Factory.StartNew(() => Run(ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken ct)
    {
        NetlinkChangeSocket socket;
        try
        {
            socket = new NetlinkChangeSocket();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            logger.LogWarning("no rtnetlink change notifications ({Message}): drift is found by the periodic check only", ex.Message);
            return;
        }
        using (socket)
        {
            while (!ct.IsCancellationRequested)
            {
                if (!socket.WaitForChange(Quiet)) continue;
                while (!ct.IsCancellationRequested && socket.WaitForChange(Quiet))
                {
                    // Drain the burst.
                }
                // Always queued, even while other work runs: that work may have observed before this change.
                work.Enqueue("kernel change", c => drift.RunOnceAsync("kernel change", c));
            }
        }
    }
}
