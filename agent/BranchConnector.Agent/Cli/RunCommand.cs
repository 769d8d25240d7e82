using System.CommandLine;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Hosting;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Cli;

/// <summary>
/// `branch-connector run [--config F]`: loads agent.yaml (exit 78 with one line naming the key and the file
/// when a setting is missing or wrong), sets up logging, then hands over to the daemon.
/// </summary>
public static class RunCommand
{
    /// <param name="daemon">What runs once settings are valid and logging is set up (Hosting/Daemon.RunAsync).</param>
    public static Command Create(Func<AgentSettings, AgentLoggerFactory, CancellationToken, Task<int>> daemon)
    {
        var config = new Option<string>("--config")
        {
            Description = "The agent settings file.",
            DefaultValueFactory = _ => AgentSettingsLoader.DefaultPath,
        };
        var command = new Command("run", "Run the agent daemon (systemd Type=notify).") { config };
        command.SetAction((parse, cancellationToken) => ExecuteAsync(parse.GetValue(config)!, daemon, cancellationToken));
        return command;
    }

    /// <summary>Loads <paramref name="configPath"/>, sets up logging on stderr, runs <paramref name="daemon"/>; returns the exit code.</summary>
    public static Task<int> ExecuteAsync(
        string configPath, Func<AgentSettings, AgentLoggerFactory, CancellationToken, Task<int>> daemon, CancellationToken cancellationToken) =>
        ExecuteAsync(configPath, daemon, Console.Error, AgentLogging.IsJournalStream(), cancellationToken);

    internal static async Task<int> ExecuteAsync(
        string configPath,
        Func<AgentSettings, AgentLoggerFactory, CancellationToken, Task<int>> daemon,
        TextWriter stderr,
        bool journal,
        CancellationToken cancellationToken)
    {
        AgentSettings settings;
        try
        {
            settings = AgentSettingsLoader.Load(configPath);
        }
        catch (ConfigException e)
        {
            // Before logging exists: one plain line, with the journal's error priority under systemd.
            await stderr.WriteLineAsync(journal ? "<3>" + e.Message : e.Message).ConfigureAwait(false);
            await stderr.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Config;
        }

        using var loggers = AgentLogging.CreateLoggerFactory(settings.Log, journal, stderr);
        var log = loggers.CreateLogger("BranchConnector.Run");
        foreach (var warning in settings.Warnings) log.LogWarning("{Warning}", warning);
        try
        {
            return await daemon(settings, loggers, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException e)
        {
            // A setting the daemon checks later (a password or certificate file) is as fatal as one in agent.yaml.
            log.LogCritical("{Problem}", e.Message);
            return ExitCodes.Config;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogCritical(e, "the agent stopped on an unexpected error");
            return ExitCodes.Failure;
        }
    }
}
