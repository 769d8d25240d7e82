namespace BranchConnector.Agent.Linux.Routes;

/// <summary>Kernel routing table ids and the agent's routing protocol id.</summary>
public static class RoutingTables
{
    public const int Default = 253;
    public const int Main = 254;
    public const int Local = 255;

    /// <summary>Every route the agent installs carries `proto 188`; it never touches a route with another id.</summary>
    public const int AgentProtocol = 188;

    /// <summary>`ip` prints the three built-in tables by name unless run with -N.</summary>
    public static int Parse(string text) => text switch
    {
        "main" => Main,
        "local" => Local,
        "default" => Default,
        _ => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new FormatException($"routing table \"{text}\" is neither a number nor a built-in name (observe with ip -N)"),
    };
}
