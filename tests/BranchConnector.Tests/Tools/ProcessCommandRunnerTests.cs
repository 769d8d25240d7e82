using System.Globalization;
using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.Tools;

/// <summary>The real runner (CliWrap) on real processes: stdin, the timeout's tree kill, bounded output.</summary>
public class ProcessCommandRunnerTests
{
    private readonly ProcessCommandRunner _runner = new();

    [Fact]
    public async Task Stdin_reaches_the_tool_and_arguments_are_passed_verbatim()
    {
        var result = await _runner.RunAsync(
            new CommandRequest("sh", ["-c", "cat; printf '[%s]' \"$1\"", "sh", "a 'b' \"c\" $d"]) { Stdin = "PrivateKey = secret\n", StdinIsSecret = true },
            CancellationToken.None);

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal("PrivateKey = secret\n[a 'b' \"c\" $d]", result.Stdout);
        Assert.Equal(1, _runner.Spawned);
    }

    [Fact]
    public async Task A_failing_tool_is_a_result_not_an_exception()
    {
        var result = await _runner.RunAsync(CommandRequest.Of("sh", "-c", "echo nope >&2; exit 3"), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("sh -c 'echo nope >&2; exit 3' exited 3: nope", result.Describe());
    }

    [Fact]
    public async Task A_missing_tool_exits_127()
    {
        var result = await _runner.RunAsync(CommandRequest.Of("/nonexistent/bc-tool"), CancellationToken.None);

        Assert.Equal(127, result.ExitCode);
        Assert.StartsWith("cannot start /nonexistent/bc-tool: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_timeout_kills_the_whole_process_tree()
    {
        // The shell starts a grandchild and waits for it: killing only the shell would leave the sleep running.
        var result = await _runner.RunAsync(
            new CommandRequest("sh", ["-c", "sleep 60 & echo $!; wait"]) { Timeout = TimeSpan.FromMilliseconds(500) },
            CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Contains("was killed after its timeout", result.Describe(), StringComparison.Ordinal);
        var grandchild = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
        Assert.False(IsAlive(grandchild), $"sleep {grandchild} survived the timeout");
    }

    [Fact]
    public async Task Cancellation_by_the_caller_kills_the_tool_and_throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _runner.RunAsync(CommandRequest.Of("sleep", "60"), cts.Token));
    }

    [Fact]
    public async Task Output_past_the_limit_is_drained_cut_and_fails_the_run()
    {
        var result = await _runner.RunAsync(
            new CommandRequest("head", ["-c", "1000000", "/dev/zero"]) { MaxOutputBytes = 4096 },
            CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.OutputTruncated);
        Assert.False(result.Succeeded);
        Assert.Equal(4096, result.Stdout.Length);
        Assert.Contains("(output cut at 4096 bytes)", result.Describe(), StringComparison.Ordinal);
    }

    /// <summary>Gone, or a zombie nobody has reaped yet (the kill happened; only the reaping is someone else's).</summary>
    private static bool IsAlive(int pid)
    {
        for (var i = 0; i < 50; i++)
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (IOException) { return false; }
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) return false;
            Thread.Sleep(20);
        }
        return true;
    }
}
