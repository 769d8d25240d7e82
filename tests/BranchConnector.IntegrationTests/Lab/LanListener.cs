using System.Diagnostics;
using System.Globalization;

namespace BranchConnector.IntegrationTests.Lab;

/// <summary>A busybox nc TCP server on the LAN host answering "served" to every connection; disposed with the test.</summary>
public sealed class LanListener : IAsyncDisposable
{
    private readonly Process _process;
    private readonly BranchLab _lab;

    private LanListener(BranchLab lab, Process process)
    {
        _lab = lab;
        _process = process;
    }

    public static async Task<LanListener> StartAsync(BranchLab lab, int port)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "netns", "exec", lab.Lan, "busybox", "nc", "-ll", "-p", port.ToString(CultureInfo.InvariantCulture), "-e", "/bin/echo", "served" })
            psi.ArgumentList.Add(a);
        var listener = new LanListener(lab, Process.Start(psi)!);
        for (var i = 0; i < 50; i++)
        {
            if (await listener.ConnectsFromAsync(lab.Lan, "127.0.0.1", port)) return listener;
            await Task.Delay(100);
        }
        await listener.DisposeAsync();
        throw new InvalidOperationException($"listener on the LAN host's port {port} did not start");
    }

    /// <summary>Whether a TCP connection from <paramref name="ns"/> gets the server's answer (2 s timeout).</summary>
    public async Task<bool> ConnectsFromAsync(string ns, string address, int port)
    {
        var r = await _lab.World.ExecAsync(ns, "busybox", "nc", "-w", "2", address, port.ToString(CultureInfo.InvariantCulture));
        return r.Succeeded && r.Stdout.Contains("served", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
