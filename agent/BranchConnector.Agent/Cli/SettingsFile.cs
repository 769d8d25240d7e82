using BranchConnector.Agent.Config;

namespace BranchConnector.Agent.Cli;

/// <summary>agent.yaml for a command: loaded, or the one line naming the wrong key and the file written to <c>error</c>.</summary>
internal static class SettingsFile
{
    public static async Task<AgentSettings?> LoadOrReportAsync(string configFile, TextWriter error)
    {
        try
        {
            return AgentSettingsLoader.Load(configFile);
        }
        catch (ConfigException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return null;
        }
    }
}
