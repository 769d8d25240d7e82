using BranchConnector.Agent.Config;

namespace BranchConnector.Tests.Config;

public class AgentSettingsLoaderTests
{
    private const string File = "/etc/branch-connector/agent.yaml";
    private const string Minimal = "serial: BC-0001\nbroker:\n  urls: [ \"mqtt://broker.example.net\" ]\n";

    private static AgentSettings Parse(string yaml) => AgentSettingsLoader.Parse(yaml, File);

    private static string ErrorOf(string yaml) => Assert.Throws<ConfigException>(() => Parse(yaml)).Message;

    [Fact]
    public void Every_key_of_the_spec_example_is_read()
    {
        var s = Parse("""
            serial: BC-0001                      # required
            broker:
              urls: [ "mqtts://mqtt1.example.net:8883", "mqtts://mqtt2.example.net:9883" ]
              username: BC-0001
              password_file: /etc/branch-connector/token
              ca_file: /etc/branch-connector/ca.pem
              cert_file: /etc/branch-connector/device.pem
              key_file: /etc/branch-connector/device.key
              keepalive_s: 45
            topics: { southbound_prefix: SOUTH, northbound_prefix: NORTH }
            state_dir: /srv/bc/state
            runtime_dir: /srv/bc/run
            wireguard:
              implementation: userspace
              userspace_command: /usr/local/bin/wireguard-go
            firewall:
              manage: false
              backend: iptables-legacy
            log: { level: debug }
            """);

        Assert.Equal("BC-0001", s.Serial);
        Assert.Equal(["mqtts://mqtt1.example.net:8883/", "mqtts://mqtt2.example.net:9883/"], s.Broker.Urls.Select(u => u.ToString()));
        Assert.Equal("BC-0001", s.Broker.Username);
        Assert.Equal("/etc/branch-connector/token", s.Broker.PasswordFile);
        Assert.Equal("/etc/branch-connector/ca.pem", s.Broker.CaFile);
        Assert.Equal("/etc/branch-connector/device.pem", s.Broker.CertFile);
        Assert.Equal("/etc/branch-connector/device.key", s.Broker.KeyFile);
        Assert.Equal(45, s.Broker.KeepaliveS);
        Assert.Equal(new TopicSettings("SOUTH", "NORTH"), s.Topics);
        Assert.Equal("/srv/bc/state", s.StateDir);
        Assert.Equal("/srv/bc/run", s.RuntimeDir);
        Assert.Equal(new WireGuardSettings(WireGuardImplementation.Userspace, "/usr/local/bin/wireguard-go"), s.WireGuard);
        Assert.Equal(new FirewallSettings(false, FirewallBackendChoice.IptablesLegacy), s.Firewall);
        Assert.Equal(new LogSettings("debug"), s.Log);
        Assert.Equal(File, s.SourceFile);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void Only_serial_and_urls_are_required_and_the_rest_has_defaults()
    {
        var s = Parse(Minimal);

        Assert.Equal(new Uri("mqtt://broker.example.net:1883"), Assert.Single(s.Broker.Urls));
        Assert.Null(s.Broker.Username);
        Assert.Null(s.Broker.PasswordFile);
        Assert.Null(s.Broker.CaFile);
        Assert.Null(s.Broker.CertFile);
        Assert.Null(s.Broker.KeyFile);
        Assert.Equal(30, s.Broker.KeepaliveS);
        Assert.Equal(new TopicSettings("VSR", "VSRE"), s.Topics);
        Assert.Equal("/var/lib/branch-connector", s.StateDir);
        Assert.Equal("/run/branch-connector", s.RuntimeDir);
        Assert.Equal(new WireGuardSettings(WireGuardImplementation.Auto, "wireguard-go"), s.WireGuard);
        Assert.Equal(new FirewallSettings(true, FirewallBackendChoice.Auto), s.Firewall);
        Assert.Equal(new LogSettings("information"), s.Log);
    }

    [Theory]
    [InlineData("mqtt://h", "mqtt://h:1883/")]
    [InlineData("mqtts://h", "mqtts://h:8883/")]
    [InlineData("MQTT://H.example:2000/", "mqtt://h.example:2000/")]
    [InlineData("mqtt://192.0.2.7", "mqtt://192.0.2.7:1883/")]
    [InlineData("mqtt://[2001:db8::1]:1884", "mqtt://[2001:db8::1]:1884/")]
    public void Broker_urls_get_their_default_port(string url, string expected)
    {
        var s = Parse($"serial: X\nbroker: {{ urls: [ \"{url}\" ], ca_file: /ca.pem }}\n");
        Assert.Equal(expected, Assert.Single(s.Broker.Urls).ToString());
    }

    [Theory]
    [InlineData("verbose")]
    [InlineData("debug")]
    [InlineData("information")]
    [InlineData("warning")]
    [InlineData("error")]
    [InlineData("fatal")]
    [InlineData("Warning")]
    public void Every_log_level_is_accepted(string level) =>
        Assert.Equal(level.ToLowerInvariant(), Parse(Minimal + $"log: {{ level: {level} }}\n").Log.Level);

    [Theory]
    [InlineData("auto", WireGuardImplementation.Auto)]
    [InlineData("kernel", WireGuardImplementation.Kernel)]
    [InlineData("userspace", WireGuardImplementation.Userspace)]
    public void Every_wireguard_implementation_is_accepted(string text, WireGuardImplementation expected) =>
        Assert.Equal(expected, Parse(Minimal + $"wireguard: {{ implementation: {text} }}\n").WireGuard.Implementation);

    [Theory]
    [InlineData("auto", FirewallBackendChoice.Auto)]
    [InlineData("iptables-nft", FirewallBackendChoice.IptablesNft)]
    [InlineData("iptables-legacy", FirewallBackendChoice.IptablesLegacy)]
    public void Every_firewall_backend_is_accepted(string text, FirewallBackendChoice expected) =>
        Assert.Equal(expected, Parse(Minimal + $"firewall: {{ backend: {text} }}\n").Firewall.Backend);

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    public void Firewall_manage_is_a_boolean(string text, bool expected) =>
        Assert.Equal(expected, Parse(Minimal + $"firewall: {{ manage: {text} }}\n").Firewall.Manage);

    [Theory]
    [InlineData("5", 5)]
    [InlineData("3600", 3600)]
    public void Keepalive_limits_are_inclusive(string text, int expected) =>
        Assert.Equal(expected, Parse(Minimal.Replace("]\n", $"]\n  keepalive_s: {text}\n", StringComparison.Ordinal)).Broker.KeepaliveS);

    [Fact]
    public void Serial_may_be_64_characters_of_the_allowed_set() =>
        Assert.Equal(new string('a', 60) + "_.-9", Parse($"serial: {new string('a', 60)}_.-9\nbroker: {{ urls: [mqtt://h] }}\n").Serial);

    [Fact]
    public void Null_and_blank_optional_values_take_the_default()
    {
        var s = Parse(Minimal + "state_dir: ~\nruntime_dir: \"\"\nlog:\nfirewall: { manage: null }\n");
        Assert.Equal("/var/lib/branch-connector", s.StateDir);
        Assert.Equal("/run/branch-connector", s.RuntimeDir);
        Assert.Equal("information", s.Log.Level);
        Assert.True(s.Firewall.Manage);
    }

    [Fact]
    public void Unknown_keys_are_warnings_naming_the_key_and_the_file()
    {
        var s = Parse(Minimal + "future_feature: 1\nfirewall: { manage: true, zones: [a] }\n");
        Assert.Equal(
            [$"{File}: future_feature: unknown setting, ignored", $"{File}: firewall.zones: unknown setting, ignored"],
            s.Warnings);
    }

    [Theory]
    // serial
    [InlineData("broker: { urls: [mqtt://h] }", "serial: missing (required)")]
    [InlineData("serial:\nbroker: { urls: [mqtt://h] }", "serial: missing (required)")]
    [InlineData("serial: a/b\nbroker: { urls: [mqtt://h] }", "serial: 'a/b' must be 1 to 64 characters of A-Z a-z 0-9 _ . -")]
    [InlineData("serial: \"a+b\"\nbroker: { urls: [mqtt://h] }", "serial: 'a+b' must be 1 to 64 characters of A-Z a-z 0-9 _ . -")]
    [InlineData("serial: \"#1\"\nbroker: { urls: [mqtt://h] }", "serial: '#1' must be 1 to 64 characters of A-Z a-z 0-9 _ . -")]
    [InlineData("serial: [a]\nbroker: { urls: [mqtt://h] }", "serial: must be a single value, not a list")]
    [InlineData("serial: { a: b }\nbroker: { urls: [mqtt://h] }", "serial: must be a single value, not a mapping")]
    // broker
    [InlineData("serial: X", "broker.urls: missing (required: a list of mqtt:// or mqtts:// URLs)")]
    [InlineData("serial: X\nbroker: mqtt://h", "broker: must be a mapping of settings")]
    [InlineData("serial: X\nbroker: { urls: [] }", "broker.urls: must list at least one mqtt:// or mqtts:// URL")]
    [InlineData("serial: X\nbroker: { urls: mqtt://h }", "broker.urls: must be a list")]
    [InlineData("serial: X\nbroker: { urls: [ [mqtt://h] ] }", "broker.urls[0]: must be a single value")]
    [InlineData("serial: X\nbroker: { urls: [ \"mqtt://a\", \"http://x\" ] }", "broker.urls[1]: 'http://x' is not an mqtt:// or mqtts:// URL")]
    [InlineData("serial: X\nbroker: { urls: [ \"mqtt:h\" ] }", "broker.urls[0]: 'mqtt:h' is not an mqtt:// or mqtts:// URL")]
    [InlineData("serial: X\nbroker: { urls: [ \"broker.example.net\" ] }", "broker.urls[0]: 'broker.example.net' is not an mqtt:// or mqtts:// URL")]
    [InlineData("serial: X\nbroker: { urls: [ \"\" ] }", "broker.urls[0]: '' is not an mqtt:// or mqtts:// URL")]
    [InlineData("serial: X\nbroker: { urls: [ \"mqtt://h/topic\" ] }", "broker.urls[0]: 'mqtt://h/topic' must hold only scheme, host and port (no user, path or query)")]
    [InlineData("serial: X\nbroker: { urls: [ \"mqtt://u@h\" ] }", "broker.urls[0]: 'mqtt://u@h' must hold only scheme, host and port (no user, path or query)")]
    [InlineData("serial: X\nbroker: { urls: [ \"mqtt://h:0\" ] }", "broker.urls[0]: 'mqtt://h:0' has port 0; use 1 to 65535")]
    [InlineData("serial: X\nbroker: { urls: [ \"mqtt://h:70000\" ] }", "broker.urls[0]: 'mqtt://h:70000' is not an mqtt:// or mqtts:// URL")]
    [InlineData("serial: X\nbroker: { urls: [ \"mqtt://a\", \"mqtts://b\" ] }", "broker.ca_file: missing (required because broker.urls[1] is mqtts://)")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h], cert_file: c.pem }", "broker.key_file: missing (required because cert_file is set)")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h], key_file: c.key }", "broker.cert_file: missing (required because key_file is set)")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h], keepalive_s: 4 }", "broker.keepalive_s: '4' must be an integer from 5 to 3600")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h], keepalive_s: 3601 }", "broker.keepalive_s: '3601' must be an integer from 5 to 3600")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h], keepalive_s: -30 }", "broker.keepalive_s: '-30' must be an integer from 5 to 3600")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h], keepalive_s: 30s }", "broker.keepalive_s: '30s' must be an integer from 5 to 3600")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h], username: [a, b] }", "broker.username: must be a single value, not a list")]
    // topics
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\ntopics: { southbound_prefix: a/b }", "topics.southbound_prefix: 'a/b' must not contain '/', '+', '#' or whitespace")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\ntopics: { northbound_prefix: \"a+\" }", "topics.northbound_prefix: 'a+' must not contain '/', '+', '#' or whitespace")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\ntopics: { northbound_prefix: \"V#\" }", "topics.northbound_prefix: 'V#' must not contain '/', '+', '#' or whitespace")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\ntopics: { northbound_prefix: \"V SRE\" }", "topics.northbound_prefix: 'V SRE' must not contain '/', '+', '#' or whitespace")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\ntopics: [VSR]", "topics: must be a mapping of settings")]
    // the rest
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\nstate_dir: [a]", "state_dir: must be a single value, not a list")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\nwireguard: { implementation: module }", "wireguard.implementation: 'module' must be one of auto, kernel, userspace")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\nfirewall: { manage: yes }", "firewall.manage: 'yes' must be true or false")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\nfirewall: { backend: nft }", "firewall.backend: 'nft' must be one of auto, iptables-nft, iptables-legacy")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h] }\nlog: { level: trace }", "log.level: 'trace' must be one of verbose, debug, information, warning, error, fatal")]
    // the document
    [InlineData("", "serial: missing (the file is empty)")]
    [InlineData("# only a comment\n", "serial: missing (the file is empty)")]
    public void A_missing_or_wrong_setting_is_one_line_naming_the_file_and_the_key(string yaml, string expected) =>
        Assert.Equal($"{File}: {expected}", ErrorOf(yaml));

    [Fact]
    public void A_document_that_is_not_a_mapping_is_refused() =>
        Assert.Equal($"{File}: must be a YAML mapping of settings (key: value)", ErrorOf("- serial: X\n"));

    [Fact]
    public void More_than_one_document_is_refused() =>
        Assert.Equal($"{File}: holds more than one YAML document", ErrorOf(Minimal + "---\nserial: Y\n"));

    [Theory]
    [InlineData("serial: X\nbroker:\n  urls: [mqtt://h]\n   username: u\n",
        "line 4, column 4: invalid YAML: While parsing a block mapping, did not find expected key.")]
    [InlineData("serial: X\nbroker: { urls: [mqtt://h }\n",
        "line 2, column 27: invalid YAML: While parsing a flow sequence, did not find expected ',' or ']'.")]
    [InlineData("serial: \"X\n", "line 1, column 9: invalid YAML: While scanning a quoted scalar, found unexpected end of stream.")]
    [InlineData("serial: X\nserial: Y\n", "line 2, column 1: invalid YAML: Duplicate key serial")]
    public void A_yaml_syntax_error_names_line_and_column(string yaml, string expected) =>
        Assert.Equal($"{File}: {expected}", ErrorOf(yaml));

    [Fact]
    public void A_syntax_error_the_parser_does_not_describe_still_names_its_line()
    {
        // YamlDotNet 16.3 fails on this one with an InvalidOperationException instead of a YamlException.
        var message = ErrorOf("serial: X\nbroker:\n  urls: [ mqtt://h\n  username: u\n");
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(File)}: line 4, column \\d+: invalid YAML: cannot parse the text here$", message);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_config_files_folder()
    {
        var s = AgentSettingsLoader.Parse("""
            serial: X
            broker:
              urls: [ "mqtts://h" ]
              password_file: token
              ca_file: ../pki/ca.pem
              cert_file: ./device.pem
              key_file: /abs/device.key
            state_dir: state
            runtime_dir: ../run/bc
            wireguard: { userspace_command: bin/wireguard-go }
            """, "/srv/agents/a1/agent.yaml");

        Assert.Equal("/srv/agents/a1/token", s.Broker.PasswordFile);
        Assert.Equal("/srv/agents/pki/ca.pem", s.Broker.CaFile);
        Assert.Equal("/srv/agents/a1/device.pem", s.Broker.CertFile);
        Assert.Equal("/abs/device.key", s.Broker.KeyFile);
        Assert.Equal("/srv/agents/a1/state", s.StateDir);
        Assert.Equal("/srv/agents/run/bc", s.RuntimeDir);
        Assert.Equal("/srv/agents/a1/bin/wireguard-go", s.WireGuard.UserspaceCommand);
    }

    [Fact]
    public void Load_reads_the_file_and_resolves_against_its_folder()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("etc/agent.yaml", Minimal + "state_dir: state\n");

        var s = AgentSettingsLoader.Load(file);

        Assert.Equal(dir.Combine("etc", "state"), s.StateDir);
        Assert.Equal(file, s.SourceFile);
    }

    [Fact]
    public void Load_makes_a_relative_config_path_absolute()
    {
        using var dir = new TempDirectory();
        dir.Write("agent.yaml", "serial: X\n");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, dir.Combine("agent.yaml"));

        var message = Assert.Throws<ConfigException>(() => AgentSettingsLoader.Load(relative)).Message;

        Assert.Equal($"{dir.Combine("agent.yaml")}: broker.urls: missing (required: a list of mqtt:// or mqtts:// URLs)", message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("nope", "agent.yaml");
        Assert.Equal($"{file}: the settings file does not exist",
            Assert.Throws<ConfigException>(() => AgentSettingsLoader.Load(file)).Message);
    }
}
