using System.Globalization;
using System.Runtime.InteropServices;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Ha;

/// <summary>
/// keepalived as the agent's child, the way wireguard-go is: started through the command runner (it forks
/// into the background and outlives the agent; the unit's KillMode=process leaves it running), adopted by a
/// restarted or upgraded agent when its config is unchanged (no VRRP transition), reloaded with SIGHUP when
/// the config changed (keepalived keeps the instance's state across a reload), stopped with SIGTERM (it
/// releases the virtual addresses and sends a priority-0 advert, so the partner takes over at once).
/// </summary>
public sealed partial class KeepalivedSupervisor(HaPaths paths, ICommandRunner runner, string command, ILogger logger)
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    public string Command => command;

    /// <summary>Starts, reloads or adopts keepalived for the rendered config. Returns a problem, or null.</summary>
    public async Task<string?> EnsureAsync(HaSpec spec, string config, CancellationToken ct)
    {
        CreateDirectory();
        EnsureFifo();
        var pid = KeepalivedProcess.Find(paths);
        var current = File.Exists(paths.Config) ? await File.ReadAllTextAsync(paths.Config, ct).ConfigureAwait(false) : null;
        var addresses = string.Concat(spec.VirtualAddresses.Select(a => $"{spec.Interface} {a}\n"));
        if (pid is { } running)
        {
            if (current == config) return null;
            // Addresses first: if keepalived died right after the reload, what it may hold is on record.
            await AtomicFile.WriteTextAsync(paths.Addresses, MergeAddresses(addresses), ct).ConfigureAwait(false);
            await AtomicFile.WriteTextAsync(paths.Config, config, ct).ConfigureAwait(false);
            var hup = await runner.RunAsync(new CommandRequest("kill", ["-HUP", running.ToString(CultureInfo.InvariantCulture)]) { Mutates = true }, ct).ConfigureAwait(false);
            if (!hup.Succeeded) return $"reloading keepalived: {hup.Describe()}";
            logger.LogInformation("ha: keepalived {Pid} reloaded with the new config", running);
            return null;
        }

        await ReleaseStaleAddressesAsync(ct).ConfigureAwait(false);
        await AtomicFile.WriteTextAsync(paths.Addresses, addresses, ct).ConfigureAwait(false);
        await AtomicFile.WriteTextAsync(paths.Config, config, ct).ConfigureAwait(false);
        TryDelete(paths.MainPid);
        TryDelete(paths.VrrpPid);
        var start = await runner.RunAsync(new CommandRequest(command,
            ["--vrrp", "--use-file", paths.Config, "--pid", paths.MainPid, "--vrrp_pid", paths.VrrpPid]) { Mutates = true }, ct).ConfigureAwait(false);
        if (!start.Succeeded) return $"starting keepalived: {start.Describe()}";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (KeepalivedProcess.Find(paths) is null)
        {
            if (waited.Elapsed > StartWait) return $"keepalived did not come up within {StartWait.TotalSeconds:0} s (see its log in the journal)";
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
        logger.LogInformation("ha: keepalived started (group {Group}, vrid {Vrid}, {Interface})", spec.Group, spec.Vrid, spec.Interface);
        return null;
    }

    /// <summary>Stops keepalived (it releases its addresses), releases whatever a dead one left, removes its files.</summary>
    public async Task<string?> StopAsync(CancellationToken ct)
    {
        string? problem = null;
        if (KeepalivedProcess.Find(paths) is { } pid)
        {
            var term = await runner.RunAsync(new CommandRequest("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { Mutates = true }, ct).ConfigureAwait(false);
            if (!term.Succeeded) problem = $"stopping keepalived: {term.Describe()}";
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (KeepalivedProcess.IsAlive(pid) && waited.Elapsed < StopWait) await Task.Delay(50, ct).ConfigureAwait(false);
            if (KeepalivedProcess.IsAlive(pid))
            {
                await runner.RunAsync(new CommandRequest("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]) { Mutates = true }, ct).ConfigureAwait(false);
                problem = $"keepalived {pid} did not stop within {StopWait.TotalSeconds:0} s and was killed";
            }
            logger.LogInformation("ha: keepalived stopped");
        }
        await ReleaseStaleAddressesAsync(ct).ConfigureAwait(false);
        foreach (var file in new[] { paths.Config, paths.Addresses, paths.MainPid, paths.VrrpPid, paths.BackboneTrack, paths.DrainTrack, paths.LastState })
            TryDelete(file);
        return problem;
    }

    /// <summary>Whether our keepalived runs (adopted or started).</summary>
    public bool Running => KeepalivedProcess.Find(paths) is not null;

    /// <summary>
    /// A keepalived that died (killed, crashed) leaves its virtual addresses on the LAN interface: remove them
    /// before a new one starts, or two boxes would answer for the gateway.
    /// </summary>
    private async Task ReleaseStaleAddressesAsync(CancellationToken ct)
    {
        if (!File.Exists(paths.Addresses)) return;
        var lines = await File.ReadAllLinesAsync(paths.Addresses, ct).ConfigureAwait(false);
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2) continue;
            var r = await runner.RunAsync(new CommandRequest("ip", ["addr", "del", parts[1], "dev", parts[0]]) { Mutates = true }, ct).ConfigureAwait(false);
            if (r.Succeeded) logger.LogInformation("ha: released {Address} on {Interface} left by a keepalived that is gone", parts[1], parts[0]);
        }
        TryDelete(paths.Addresses);
    }

    private string MergeAddresses(string next)
    {
        var old = File.Exists(paths.Addresses) ? File.ReadAllText(paths.Addresses) : "";
        return string.Concat(old.Split('\n', StringSplitOptions.RemoveEmptyEntries).Concat(next.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).Select(l => l + "\n"));
    }

    public void CreateDirectory()
    {
        if (!Directory.Exists(paths.Directory))
            Directory.CreateDirectory(paths.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The agent makes the FIFO (0600) before keepalived starts, so its reader can open it first.</summary>
    public void EnsureFifo()
    {
        if (File.Exists(paths.Fifo)) return;
        if (mkfifo(paths.Fifo, 0x180) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (!File.Exists(paths.Fifo)) throw new IOException($"mkfifo {paths.Fifo}: errno {errno}");
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);
}
