using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using BranchConnector.Agent;
using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.IntegrationTests.Config;

/// <summary>
/// `branch-connector run` from the published, trimmed single-file binary: a wrong agent.yaml stops it with
/// exit code 78 and one line naming key and file; a good one gets past loading (YamlDotNet survives trimming),
/// logs its start, speaks sd_notify and exits 0 on SIGTERM/SIGINT. A running agent lives in its own network
/// namespace with firewall management off, so it observes nothing of the host.
/// </summary>
public sealed class PublishedBinaryConfigTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bc-binary-config-").FullName;
    private readonly NetnsWorld _world = new();
    private string _ns = "";

    public async Task InitializeAsync() => _ns = await _world.AddNamespaceAsync("cfg");

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string WriteConfig(string yaml)
    {
        var file = Path.Combine(_dir, "agent.yaml");
        File.WriteAllText(file, yaml);
        return file;
    }

    private string GoodConfig(string serial) => WriteConfig($"""
        serial: {serial}
        broker:
          urls: [ "mqtt://127.0.0.1:1" ]
        state_dir: state
        runtime_dir: run
        firewall: {"{"} manage: false {"}"}
        log: {"{"} level: information {"}"}
        """);

    [Theory]
    [InlineData("serial: BC-1\nbroker:\n  urls: [ \"mqtt://a\", \"http://x\" ]\n", "broker.urls[1]: 'http://x' is not an mqtt:// or mqtts:// URL")]
    [InlineData("broker: { urls: [mqtt://a] }\n", "serial: missing (required)")]
    [InlineData("serial: BC-1\nbroker: { urls: [mqtt://a], keepalive_s: 2 }\n", "broker.keepalive_s: '2' must be an integer from 5 to 3600")]
    [InlineData("serial: BC-1\nbroker: { urls: [mqtts://a] }\n", "broker.ca_file: missing (required because broker.urls[0] is mqtts://)")]
    [InlineData("serial: BC-1\nlog: { level: loud }\nbroker: { urls: [mqtt://a] }\n", "log.level: 'loud' must be one of verbose, debug, information, warning, error, fatal")]
    [InlineData("serial: BC-1\nbroker: { urls: [mqtt://a] }\nmetrics: { listen: \"0.0.0.0:9188\" }\n", "metrics.listen: '0.0.0.0:9188': refusing to serve metrics on every address; write the one address out, e.g. 127.0.0.1:9188")]
    [InlineData("serial: BC-1\nbroker: { urls: [mqtt://h }\n", "line 2, column 27: invalid YAML: While parsing a flow sequence, did not find expected ',' or ']'.")]
    public async Task A_wrong_setting_exits_78_with_one_stderr_line_naming_key_and_file(string yaml, string problem)
    {
        var file = WriteConfig(yaml);

        var (exitCode, stdout, stderr) = await PublishedBinary.RunAsync("run", "--config", file);

        Assert.Equal(78, exitCode);
        Assert.Equal($"{file}: {problem}\n", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_missing_config_file_exits_78_naming_it()
    {
        var file = Path.Combine(_dir, "absent.yaml");

        var (exitCode, _, stderr) = await PublishedBinary.RunAsync("run", "--config", file);

        Assert.Equal(78, exitCode);
        Assert.Equal($"{file}: the settings file does not exist\n", stderr);
    }

    [Fact]
    public async Task A_good_config_starts_and_SIGTERM_exits_0()
    {
        var file = GoodConfig("BC-TRIM-1");

        using var agent = await PublishedBinary.StartAsync(["run", "--config", file], netns: _ns);
        try
        {
            var started = await ReadLineContainingAsync(agent, "starting for serial BC-TRIM-1");
            Assert.Matches($@"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{{3}} INF branch-connector {AgentInfo.Version} starting for serial BC-TRIM-1$", started);

            await Sh.OkAsync("kill", "-TERM", agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(0, await ExitCodeAsync(agent));
        }
        finally
        {
            if (!agent.HasExited) agent.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Under_systemd_it_notifies_ready_logs_with_priorities_and_SIGINT_exits_0()
    {
        var file = GoodConfig("BC-TRIM-2");
        var socketPath = Path.Combine(_dir, "notify");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));

        using var agent = await PublishedBinary.StartAsync(["run", "--config", file],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["JOURNAL_STREAM"] = "8:12345" }, _ns);
        try
        {
            // Before READY=1 only start-timeout extensions (Hosting/StartupKeepalive): nothing else is announced early.
            var beforeReady = new List<string>();
            while (beforeReady.LastOrDefault() != "READY=1") beforeReady.Add(await ReceiveAsync(systemd));
            Assert.All(beforeReady[..^1], d => Assert.StartsWith("EXTEND_TIMEOUT_USEC=", d));
            Assert.Equal($"<6>branch-connector {AgentInfo.Version} starting for serial BC-TRIM-2",
                await ReadLineContainingAsync(agent, "starting for serial"));

            await Sh.OkAsync("kill", "-INT", agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(0, await ExitCodeAsync(agent));
            var afterReady = new List<string>();
            while (afterReady.LastOrDefault() != "STOPPING=1") afterReady.Add(await ReceiveAsync(systemd));
            Assert.Equal("STOPPING=1", afterReady[^1]);
        }
        finally
        {
            if (!agent.HasExited) agent.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string> ReadLineContainingAsync(Process agent, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new StringBuilder();
        while (true)
        {
            var line = await agent.StandardError.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"the agent closed stderr before '{text}'; it wrote:\n{seen}");
            if (line.Contains(text, StringComparison.Ordinal)) return line;
            seen.AppendLine(line);
        }
    }

    private static async Task<int> ExitCodeAsync(Process agent)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await agent.WaitForExitAsync(timeout.Token);
        return agent.ExitCode;
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
