namespace BranchConnector.Agent.Config;

/// <summary>
/// A setting in agent.yaml is missing or wrong. The message is one line that names the file and the key
/// (for example <c>/etc/branch-connector/agent.yaml: broker.keepalive_s: '2' must be an integer from 5 to 3600</c>)
/// and never carries a secret.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message) : base(OneLine(message)) { }

    public ConfigException(string message, Exception inner) : base(OneLine(message), inner) { }

    public ConfigException() : base("invalid agent settings") { }

    /// <summary>Builds "<paramref name="file"/>: <paramref name="key"/>: <paramref name="problem"/>".</summary>
    public static ConfigException ForKey(string file, string key, string problem) => new($"{file}: {key}: {problem}");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
