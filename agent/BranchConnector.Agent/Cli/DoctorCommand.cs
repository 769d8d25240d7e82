using System.CommandLine;
using BranchConnector.Agent.Config;
using BranchConnector.Agent.Doctor;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Agent.Cli;

/// <summary>`branch-connector doctor [--json] [--config F]`: one line per network check with a verdict and a hint; exit 1 when one fails.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON." };
        var config = new Option<string>("--config") { Description = "The agent settings file.", DefaultValueFactory = _ => AgentSettingsLoader.DefaultPath };
        var command = new Command("doctor", "Check this box's network for the agent: UDP/NAT, clock, WireGuard, firewall, forwarding, MTU, broker.") { json, config };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(json), Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(string configFile, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (await SettingsFile.LoadOrReportAsync(configFile, error).ConfigureAwait(false) is not { } settings) return ExitCodes.Failure;
        var inputs = await DoctorInputs.LoadAsync(settings, ct).ConfigureAwait(false);
        var checks = await DoctorChecks.CreateAsync(inputs, new ProcessCommandRunner(), ct).ConfigureAwait(false);
        var report = DoctorReport.From(await DoctorChecks.RunAsync(checks, ct).ConfigureAwait(false));
        await output.WriteAsync(json ? report.Json() + "\n" : report.Text()).ConfigureAwait(false);
        return report.Ok ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
