using System.Diagnostics;
using System.Text;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Health;

/// <summary>A real coturn `turnserver` answering plain STUN (no TURN, no auth, UDP only) on one address inside a namespace.</summary>
internal sealed class CoturnStunServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;
    private readonly StringBuilder _log = new();

    private CoturnStunServer(Process process, DirectoryInfo dir)
    {
        _process = process;
        _dir = dir;
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<CoturnStunServer> StartAsync(NetnsWorld world, string netns, string address, int port = 3478)
    {
        var dir = Directory.CreateTempSubdirectory("bc-coturn-");
        var psi = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "netns", "exec", netns, "turnserver", "-n", "--stun-only", "--no-cli", "--no-tls", "--no-dtls", "--no-tcp",
            "-L", address, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--log-file", "stdout", "--simple-log", "--pidfile", Path.Combine(dir.FullName, "turnserver.pid"),
        }) psi.ArgumentList.Add(arg);

        var process = new Process { StartInfo = psi };
        var server = new CoturnStunServer(process, dir);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) break;
            var listening = await world.ExecAsync(netns, "ss", "-Hlun", $"src {address}:{port}");
            if (listening.Stdout.Contains($"{address}:{port}", StringComparison.Ordinal)) return server;
            await Task.Delay(100);
        }
        var log = server.Log;
        await server.DisposeAsync();
        throw new InvalidOperationException($"turnserver on {address}:{port} in {netns} did not start:\n{log}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Never started, or refuses to die: NetnsWorld.DisposeAsync kills every process left in the namespace.
        }
        _process.Dispose();
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }
}
