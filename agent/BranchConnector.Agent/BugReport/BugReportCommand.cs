using System.CommandLine;
using System.Globalization;
using BranchConnector.Agent.Cli;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.BugReport;

/// <summary>`branch-connector bugreport [--out F] [--config F]`: one redacted tar.gz for support (docs/observability.md).</summary>
public static class BugReportCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "The archive to write (default: ./branch-connector-bugreport-SERIAL-TIME.tar.gz)." };
        var config = new Option<string>("--config") { Description = "The agent settings file.", DefaultValueFactory = _ => AgentSettingsLoader.DefaultPath };
        var command = new Command("bugreport", "Write one tar.gz for support: status, doctor, the agent's kernel objects, journal, agent.yaml; secrets redacted.") { output, config };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(output), Console.Out, Console.Error, TimeProvider.System, ct));
        return command;
    }

    public static async Task<int> RunAsync(string configFile, string? outPath, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var (files, missing, serial) = await new BugReportBuilder(configFile, new ProcessCommandRunner()).BuildAsync(at, ct).ConfigureAwait(false);
        var name = $"branch-connector-bugreport-{serial}-{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var path = Path.GetFullPath(outPath ?? name + ".tar.gz");
        try
        {
            await ReportArchive.WriteAsync(path, name, files, at, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"cannot write {path}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        foreach (var m in missing) await error.WriteLineAsync($"note: {m}").ConfigureAwait(false);
        await output.WriteLineAsync($"bug report: {path} ({files.Count} files, secrets redacted)").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
