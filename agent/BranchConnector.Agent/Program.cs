using BranchConnector.Agent.Cli;

namespace BranchConnector.Agent;

public static class Program
{
    public static Task<int> Main(string[] args) => CommandLineApp.RunAsync(args);
}
