using System.CommandLine;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Lifecycle;
using BranchConnector.Agent.Protocol.Outbound;
using BranchConnector.Agent.Status;

namespace BranchConnector.Agent.Cli;

/// <summary>
/// `branch-connector status [--json] [--check live|ready] [--config F]`: asks the daemon over its socket; when the
/// daemon is not running, shows the last persisted snapshot and says so (exit 1).
/// </summary>
public static class StatusCommand
{
    public const string CheckLive = "live";
    public const string CheckReady = "ready";

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status object as JSON." };
        var check = new Option<string?>("--check") { Description = "live: exit 0 when the daemon answers; ready: exit 0 when provisioned/active with the backbone up." };
        check.AcceptOnlyFromAmong(CheckLive, CheckReady);
        var config = new Option<string>("--config") { Description = "The agent settings file.", DefaultValueFactory = _ => AgentSettingsLoader.DefaultPath };
        var command = new Command("status", "Show the agent's status (from the running daemon, else its last snapshot).") { json, check, config };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(json), parse.GetValue(check), Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string configFile, bool json, string? check, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (await SettingsFile.LoadOrReportAsync(configFile, error).ConfigureAwait(false) is not { } settings) return ExitCodes.Failure;
        var socket = Path.Combine(settings.RuntimeDir, StatusServer.SocketFileName);
        StatusReply reply;
        try
        {
            reply = await StatusClient.AskAsync(socket, StatusRequest.Status, ct).ConfigureAwait(false);
        }
        catch (StatusClientException e) when (e.Failure == StatusClientFailure.NotRunning)
        {
            return await FallBackAsync(settings, json, check, e.Message, output, error, ct).ConfigureAwait(false);
        }
        catch (StatusClientException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (!reply.Ok || reply.Status is not { } status)
        {
            await error.WriteLineAsync(reply.Error ?? "the agent answered without a status").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (reply.AgentVersion is { } v && v != AgentInfo.Version)
            await error.WriteLineAsync($"warning: this command is {AgentInfo.Version} but the running agent is {v}; restart the agent after an upgrade").ConfigureAwait(false);
        if (check is not null) return await CheckAsync(status, check, output).ConfigureAwait(false);
        await output.WriteAsync(json ? StatusJson.Pretty(status) + "\n" : StatusTable.Render(status)).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<int> FallBackAsync(AgentSettings settings, bool json, string? check, string why, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (check is not null)
        {
            await output.WriteLineAsync($"not {(check == CheckLive ? "live" : "ready")}: {why}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var snapshot = await StatusSnapshotFile.ReadAsync(settings.StateDir, ct).ConfigureAwait(false);
        if (snapshot is null)
        {
            await error.WriteLineAsync($"{why}; no snapshot in {StatusSnapshotFile.PathIn(settings.StateDir)} either").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        await error.WriteLineAsync($"{why}; showing the last snapshot from {StatusSnapshotFile.PathIn(settings.StateDir)}").ConfigureAwait(false);
        await output.WriteAsync(json ? StatusJson.Pretty(snapshot) + "\n" : StatusTable.Render(snapshot)).ConfigureAwait(false);
        return ExitCodes.Failure;
    }

    private static async Task<int> CheckAsync(StatusSnapshot status, string check, TextWriter output)
    {
        if (check == CheckLive)
        {
            await output.WriteLineAsync($"live: {status.State}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        var reason = ReadinessProblem(status);
        await output.WriteLineAsync(reason is null ? $"ready: {status.State}, backbone active" : $"not ready: {reason}").ConfigureAwait(false);
        return reason is null ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>Null when ready: provisioned or active, and the backbone tunnel active.</summary>
    public static string? ReadinessProblem(StatusSnapshot status)
    {
        if (status.State != LifecycleState.Provisioned.ToWire() && status.State != LifecycleState.Active.ToWire()) return $"state is {status.State}";
        var backbone = status.Tunnels.FirstOrDefault(t => t.Kind == TunnelStatusPayload.Backbone);
        if (backbone is null) return "no backbone tunnel";
        return backbone.Status == Health.TunnelHealth.Active ? null : $"backbone {backbone.Interface} is {backbone.Status}";
    }
}
