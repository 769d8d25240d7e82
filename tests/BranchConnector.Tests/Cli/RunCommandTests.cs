using BranchConnector.Agent.Cli;
using BranchConnector.Agent.Config;
using BranchConnector.Tests.Config;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Tests.Cli;

public class RunCommandTests
{
    private const string Good = "serial: BC-0001\nbroker: { urls: [mqtt://h] }\n";

    private static Task<int> Run(string config, Func<AgentSettings, BranchConnector.Agent.Hosting.AgentLoggerFactory, CancellationToken, Task<int>> daemon, StringWriter stderr, bool journal = false) =>
        RunCommand.ExecuteAsync(config, daemon, stderr, journal, CancellationToken.None);

    private static Task<int> MustNotRun(AgentSettings s, BranchConnector.Agent.Hosting.AgentLoggerFactory l, CancellationToken c) =>
        throw new InvalidOperationException("the daemon must not start");

    [Fact]
    public async Task A_wrong_setting_exits_78_with_one_line_naming_key_and_file()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("agent.yaml", "serial: BC-0001\nbroker: { urls: [mqtt://h], keepalive_s: 2 }\n");
        var stderr = new StringWriter();

        Assert.Equal(78, await Run(file, MustNotRun, stderr));
        Assert.Equal($"{file}: broker.keepalive_s: '2' must be an integer from 5 to 3600\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Under_systemd_the_line_has_the_error_priority()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("missing.yaml");
        var stderr = new StringWriter();

        Assert.Equal(78, await Run(file, MustNotRun, stderr, journal: true));
        Assert.Equal($"<3>{file}: the settings file does not exist\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Good_settings_reach_the_daemon_and_its_exit_code_is_returned()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("agent.yaml", Good + "newer_option: 1\n");
        var stderr = new StringWriter();
        AgentSettings? seen = null;

        var code = await Run(file, (s, loggers, _) =>
        {
            seen = s;
            loggers.CreateLogger("Daemon").LogInformation("daemon ran");
            return Task.FromResult(5);
        }, stderr, journal: true);

        Assert.Equal(5, code);
        Assert.Equal("BC-0001", seen!.Serial);
        Assert.Equal([$"<4>{file}: newer_option: unknown setting, ignored", "<6>daemon ran"], stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_setting_the_daemon_finds_wrong_later_also_exits_78()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("agent.yaml", "serial: BC-0001\nbroker: { urls: [mqtt://h], password_file: token }\n");
        var stderr = new StringWriter();

        var code = await Run(file, (s, _, _) =>
        {
            BrokerPasswordReader.Read(s);
            return Task.FromResult(0);
        }, stderr, journal: true);

        Assert.Equal(78, code);
        Assert.Equal($"<2>{file}: broker.password_file: {dir.Combine("token")} does not exist\n", stderr.ToString());
    }

    [Fact]
    public async Task An_unexpected_daemon_failure_exits_1_and_is_logged()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("agent.yaml", Good);
        var stderr = new StringWriter();

        var code = await Run(file, (_, _, _) => throw new InvalidOperationException("boom"), stderr, journal: true);

        Assert.Equal(1, code);
        Assert.StartsWith("<2>the agent stopped on an unexpected error\n<2>System.InvalidOperationException: boom", stderr.ToString(), StringComparison.Ordinal);
    }
}
