using System.CommandLine;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Hosting;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Cli;

/// <summary>
/// `branch-connector cleanup`: removes every kernel object the agent owns (tunnel devices from the journal,
/// proto 188 routes, its rule band, its BC-* chains and jumps) and nothing else. Keys and settings stay.
/// </summary>
public static class CleanupCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "The agent settings file.", DefaultValueFactory = _ => AgentSettingsLoader.DefaultPath };
        var command = new Command("cleanup", "Remove every kernel object the agent owns (root only).") { config };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, CancellationToken ct)
    {
        if (geteuid() != 0)
        {
            await Console.Error.WriteLineAsync("cleanup changes the kernel's network state: run it as root").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (await SettingsFile.LoadOrReportAsync(configPath, Console.Error).ConfigureAwait(false) is not { } settings) return ExitCodes.Config;
        using var loggers = AgentLogging.CreateLoggerFactory(settings.Log);
        var services = await AgentServices.CreateAsync(settings, loggers, new ProcessCommandRunner(), TimeProvider.System, ct).ConfigureAwait(false);
        if (await services.Ha.RemoveEverythingAsync(wipeDrain: false, ct).ConfigureAwait(false) is { } haProblem)
            await Console.Error.WriteLineAsync($"cleanup: {haProblem}").ConfigureAwait(false);
        var outcome = await services.Reconciler.ReconcileAsync(KernelIntent.RemoveEverything, null, "cleanup", ct).ConfigureAwait(false);
        foreach (var change in outcome.Plan.Changes) await Console.Out.WriteLineAsync(change.ToString()).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            await Console.Error.WriteLineAsync($"cleanup incomplete: {outcome.Failure?.Result.Describe() ?? string.Join("; ", outcome.Problems)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        await Console.Out.WriteLineAsync($"cleanup: {outcome.Plan.Changes.Count()} objects removed").ConfigureAwait(false);
        loggers.CreateLogger("BranchConnector.Cleanup").LogInformation("cleanup done");
        return ExitCodes.Ok;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
