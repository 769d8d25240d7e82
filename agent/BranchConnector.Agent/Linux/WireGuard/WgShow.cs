using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Linux.WireGuard;

/// <summary>Reads one device with `wg show IF dump` (read-only, no secret leaves the parser).</summary>
public static class WgShow
{
    /// <summary>The device, or null when the link is not (or not yet) a WireGuard device.</summary>
    public static async Task<ObservedWgDevice?> ReadAsync(ICommandRunner runner, string name, CancellationToken ct)
    {
        var dump = await runner.RunAsync(CommandRequest.Of("wg", "show", name, "dump"), ct).ConfigureAwait(false);
        return dump.Succeeded ? WgDumpParser.Parse(name, dump.Stdout) : null;
    }
}
