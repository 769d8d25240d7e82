using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BranchConnector.Agent.Config;

/// <summary>
/// Reads and validates agent.yaml. Any missing or wrong setting throws a <see cref="ConfigException"/> whose
/// one-line message names the file and the key. Relative paths resolve against the config file's folder.
/// Unknown keys are not errors: they land in <see cref="AgentSettings.Warnings"/> (see docs/decisions.md).
/// </summary>
public static partial class AgentSettingsLoader
{
    public const string DefaultPath = "/etc/branch-connector/agent.yaml";
    public const string DefaultStateDir = "/var/lib/branch-connector";
    public const string DefaultRuntimeDir = "/run/branch-connector";
    public const int DefaultKeepaliveS = 30;
    public const int DefaultDriftCheckIntervalS = 60;
    public const int MinKeepaliveS = 5;
    public const int MaxKeepaliveS = 3600;

    public static AgentSettings Load(string path)
    {
        var file = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            throw new ConfigException($"{file}: the settings file does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ConfigException($"{file}: the settings file does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{file}: cannot read the settings file: {e.Message}", e);
        }
        return Parse(text, file);
    }

    /// <summary>Validates YAML text as if it were read from <paramref name="file"/> (an absolute path).</summary>
    public static AgentSettings Parse(string yaml, string file)
    {
        var root = new SettingsMapping(file, "", ReadRoot(yaml, file));
        var baseDir = System.IO.Path.GetDirectoryName(file) ?? "/";

        var serial = ReadSerial(root);
        var broker = root.Mapping("broker");
        var topics = root.Mapping("topics");
        var wireguard = root.Mapping("wireguard");
        var firewall = root.Mapping("firewall");
        var log = root.Mapping("log");
        var metrics = root.Mapping("metrics");

        var settings = new AgentSettings(
            serial,
            ReadBroker(broker, baseDir),
            new TopicSettings(
                ReadTopicPrefix(topics, "southbound_prefix", "VSR"),
                ReadTopicPrefix(topics, "northbound_prefix", "VSRE")),
            ResolvePath(root.Scalar("state_dir") ?? DefaultStateDir, baseDir),
            ResolvePath(root.Scalar("runtime_dir") ?? DefaultRuntimeDir, baseDir),
            new WireGuardSettings(
                ReadChoice(wireguard, "implementation", WireGuardImplementation.Auto,
                    ("auto", WireGuardImplementation.Auto), ("kernel", WireGuardImplementation.Kernel),
                    ("userspace", WireGuardImplementation.Userspace)),
                ReadCommand(wireguard.Scalar("userspace_command") ?? "wireguard-go", baseDir)),
            new FirewallSettings(
                ReadBool(firewall, "manage", true),
                ReadChoice(firewall, "backend", FirewallBackendChoice.Auto,
                    ("auto", FirewallBackendChoice.Auto), ("iptables-nft", FirewallBackendChoice.IptablesNft),
                    ("iptables-legacy", FirewallBackendChoice.IptablesLegacy))),
            new LogSettings(ReadLogLevel(log)));

        var driftCheck = ReadSeconds(root, "drift_check_interval_s", DefaultDriftCheckIntervalS, 1, 3600);
        var (metricsEndpoint, metricsProblem) = BranchConnector.Agent.Metrics.MetricsEndpoint.Parse(metrics.Scalar("listen"));
        if (metricsProblem is not null) throw metrics.Error("listen", metricsProblem);
        var unknown = new[] { root, broker, topics, wireguard, firewall, log, metrics }
            .SelectMany(m => m.CollectUnknownKeys())
            .Select(key => $"{file}: {key}: unknown setting, ignored")
            .ToList();
        return settings with
        {
            SourceFile = file,
            Warnings = unknown,
            DriftCheckIntervalS = driftCheck,
            Metrics = metricsEndpoint,
        };
    }

    private static YamlMappingNode ReadRoot(string yaml, string file)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new ConfigException(
                $"{file}: line {e.Start.Line}, column {e.Start.Column}: invalid YAML: {YamlProblem(e)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner trips on some malformed flow collections without a YamlException, and its
            // loader throws ArgumentException on a bad tag or an unexpected event (found by fuzzing); its
            // position still tells the reader where to look.
            var at = scanner.CurrentPosition;
            throw new ConfigException($"{file}: line {at.Line}, column {at.Column}: invalid YAML: cannot parse the text here", e);
        }
        if (stream.Documents.Count == 0) throw ConfigException.ForKey(file, "serial", "missing (the file is empty)");
        if (stream.Documents.Count > 1) throw new ConfigException($"{file}: holds more than one YAML document");
        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode mapping => mapping,
            YamlScalarNode { Value: null or "" or "~" or "null" } => throw ConfigException.ForKey(file, "serial", "missing (the file is empty)"),
            _ => throw new ConfigException($"{file}: must be a YAML mapping of settings (key: value)"),
        };
    }

    /// <summary>YamlDotNet prefixes its messages with the position, which the caller already states.</summary>
    private static string YamlProblem(YamlException e)
    {
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0 ? message[(marker + 3)..] : message;
    }

    private static string ReadSerial(SettingsMapping root)
    {
        var serial = root.Scalar("serial") ?? throw root.Error("serial", "missing (required)");
        if (!SerialPattern().IsMatch(serial))
            throw root.Error("serial", $"'{serial}' must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
        return serial;
    }

    private static BrokerSettings ReadBroker(SettingsMapping broker, string baseDir)
    {
        var texts = broker.ScalarList("urls") ?? throw broker.Error("urls", "missing (required: a list of mqtt:// or mqtts:// URLs)");
        if (texts.Count == 0) throw broker.Error("urls", "must list at least one mqtt:// or mqtts:// URL");
        var urls = new List<Uri>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var (url, problem) = BrokerUrl.Parse(texts[i]);
            if (url is null) throw broker.Error($"urls[{i}]", problem!);
            urls.Add(url);
        }

        var caFile = broker.Scalar("ca_file");
        var firstTls = urls.FindIndex(BrokerUrl.IsTls);
        if (caFile is null && firstTls >= 0)
            throw broker.Error("ca_file", $"missing (required because {broker.KeyPath($"urls[{firstTls}]")} is mqtts://)");

        var certFile = broker.Scalar("cert_file");
        var keyFile = broker.Scalar("key_file");
        if (certFile is not null && keyFile is null) throw broker.Error("key_file", "missing (required because cert_file is set)");
        if (keyFile is not null && certFile is null) throw broker.Error("cert_file", "missing (required because key_file is set)");

        return new BrokerSettings(
            urls,
            broker.Scalar("username"),
            ResolveOptionalPath(broker.Scalar("password_file"), baseDir),
            ResolveOptionalPath(caFile, baseDir),
            ResolveOptionalPath(certFile, baseDir),
            ResolveOptionalPath(keyFile, baseDir),
            ReadSeconds(broker, "keepalive_s", DefaultKeepaliveS, MinKeepaliveS, MaxKeepaliveS));
    }

    private static int ReadSeconds(SettingsMapping mapping, string key, int fallback, int min, int max)
    {
        var text = mapping.Scalar(key);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < min || seconds > max)
            throw mapping.Error(key, $"'{text}' must be an integer from {min} to {max}");
        return seconds;
    }

    private static string ReadTopicPrefix(SettingsMapping topics, string key, string fallback)
    {
        var prefix = topics.Scalar(key);
        if (prefix is null) return fallback;
        if (prefix.Any(c => c is '/' or '+' or '#' || char.IsWhiteSpace(c)))
            throw topics.Error(key, $"'{prefix}' must not contain '/', '+', '#' or whitespace");
        return prefix;
    }

    private static T ReadChoice<T>(SettingsMapping mapping, string key, T fallback, params (string Name, T Value)[] choices)
    {
        var text = mapping.Scalar(key);
        if (text is null) return fallback;
        foreach (var (name, value) in choices)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) return value;
        }
        throw mapping.Error(key, $"'{text}' must be one of {string.Join(", ", choices.Select(c => c.Name))}");
    }

    private static bool ReadBool(SettingsMapping mapping, string key, bool fallback)
    {
        var text = mapping.Scalar(key);
        if (text is null) return fallback;
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
        throw mapping.Error(key, $"'{text}' must be true or false");
    }

    private static string ReadLogLevel(SettingsMapping log)
    {
        var text = log.Scalar("level");
        if (text is null) return LogSettings.DefaultLevel;
        var level = LogSettings.Levels.FirstOrDefault(l => string.Equals(l, text, StringComparison.OrdinalIgnoreCase));
        return level ?? throw log.Error("level", $"'{text}' must be one of {string.Join(", ", LogSettings.Levels)}");
    }

    /// <summary>A bare name is looked up on PATH when run; anything with a '/' is a path.</summary>
    private static string ReadCommand(string command, string baseDir) =>
        command.Contains('/', StringComparison.Ordinal) ? ResolvePath(command, baseDir) : command;

    private static string? ResolveOptionalPath(string? path, string baseDir) =>
        path is null ? null : ResolvePath(path, baseDir);

    private static string ResolvePath(string path, string baseDir) =>
        System.IO.Path.GetFullPath(path, baseDir);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex SerialPattern();
}
