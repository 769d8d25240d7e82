using System.CommandLine;
using BranchConnector.Agent.Hosting;

namespace BranchConnector.Agent.Cli;

/// <summary>The `branch-connector` command tree. Each subcommand lives in its own file and registers here.</summary>
public static class CommandLineApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--version"])
        {
            Console.WriteLine($"{AgentInfo.ProgramName} {AgentInfo.Version}");
            return ExitCodes.Ok;
        }

        var root = new RootCommand("BranchConnector: WireGuard/IPSec branch agent configured over MQTT.");
        foreach (var option in root.Options.OfType<VersionOption>().ToList()) root.Options.Remove(option);
        root.Options.Add(new Option<bool>("--version") { Description = "Print 'branch-connector <version>' and exit." });
        root.Subcommands.Add(RunCommand.Create(Daemon.RunAsync));
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(CleanupCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(BugReport.BugReportCommand.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        // The daemon owns SIGTERM/SIGINT (Hosting/TerminationSignal): System.CommandLine's own handler would
        // turn a stop that takes longer than its timeout into exit code 143 instead of 0.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
