using System.Reflection;

namespace BranchConnector.Agent;

public static class AgentInfo
{
    public const string ProgramName = "branch-connector";

    /// <summary>The semver from the assembly (Directory.Build.props Version), without build metadata.</summary>
    public static string Version { get; } =
        (typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
