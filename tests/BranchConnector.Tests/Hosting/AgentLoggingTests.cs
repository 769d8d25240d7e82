using BranchConnector.Agent.Config;
using BranchConnector.Agent.Hosting;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Tests.Hosting;

public class AgentLoggingTests
{
    private static string[] Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Journal_lines_carry_the_syslog_priority_and_no_timestamp()
    {
        var output = new StringWriter();
        using (var loggers = AgentLogging.CreateLoggerFactory(new LogSettings("verbose"), journal: true, output))
        {
            var log = loggers.CreateLogger("Test");
            log.LogTrace("trace {N}", 0);
            log.LogDebug("debug {N}", 1);
            log.LogInformation("starting for serial {Serial}", "BC-0001");
            log.LogWarning("warning {N}", 3);
            log.LogError("error {N}", 4);
            log.LogCritical("fatal {N}", 5);
        }

        Assert.Equal(
            ["<7>trace 0", "<7>debug 1", "<6>starting for serial BC-0001", "<4>warning 3", "<3>error 4", "<2>fatal 5"],
            Lines(output));
    }

    [Fact]
    public void Every_journal_line_of_a_multi_line_event_keeps_the_priority()
    {
        var output = new StringWriter();
        using (var loggers = AgentLogging.CreateLoggerFactory(new LogSettings("information"), journal: true, output))
        {
            loggers.CreateLogger("Test").LogError(new InvalidOperationException("boom"), "failed:\n{Detail}", "second line");
        }

        var lines = Lines(output);
        Assert.Equal("<3>failed:", lines[0]);
        Assert.Equal("<3>second line", lines[1]);
        Assert.Equal("<3>System.InvalidOperationException: boom", lines[2]);
        Assert.All(lines, l => Assert.StartsWith("<3>", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Console_lines_have_a_timestamp_and_level()
    {
        var output = new StringWriter();
        using (var loggers = AgentLogging.CreateLoggerFactory(new LogSettings("information"), journal: false, output))
        {
            var log = loggers.CreateLogger("Test");
            log.LogInformation("starting for serial {Serial}", "BC-0001");
            log.LogWarning("clock offset {Seconds} s", 7.2);
        }

        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INF starting for serial BC-0001$", lines[0]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} WRN clock offset 7.2 s$", lines[1]);
    }

    [Theory]
    [InlineData("warning", new[] { "<4>w", "<3>e", "<2>f" })]
    [InlineData("error", new[] { "<3>e", "<2>f" })]
    [InlineData("fatal", new[] { "<2>f" })]
    [InlineData("information", new[] { "<6>i", "<4>w", "<3>e", "<2>f" })]
    [InlineData("debug", new[] { "<7>d", "<6>i", "<4>w", "<3>e", "<2>f" })]
    public void The_level_setting_filters(string level, string[] expected)
    {
        var output = new StringWriter();
        using (var loggers = AgentLogging.CreateLoggerFactory(new LogSettings(level), journal: true, output))
        {
            var log = loggers.CreateLogger("Test");
            log.LogTrace("t");
            log.LogDebug("d");
            log.LogInformation("i");
            log.LogWarning("w");
            log.LogError("e");
            log.LogCritical("f");
        }

        Assert.Equal(expected, Lines(output));
    }
}
