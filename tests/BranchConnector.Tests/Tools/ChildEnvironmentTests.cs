using BranchConnector.Agent.Tools;

namespace BranchConnector.Tests.Tools;

// Sets process-wide environment variables: not in parallel with anything else that reads them.
[Collection(nameof(ProcessEnvironmentCollection))]
public class ChildEnvironmentTests
{
    [Fact]
    public async Task A_child_process_sees_none_of_systemds_notify_variables()
    {
        var names = ChildEnvironment.Withheld.Append("BC_TEST_KEPT").ToList();
        var before = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", "/nonexistent-bc-notify/notify");
            Environment.SetEnvironmentVariable("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", "30000000");
            Environment.SetEnvironmentVariable("BC_TEST_KEPT", "yes");

            // `env` prints the environment the child really got.
            var result = await new ProcessCommandRunner().RunAsync(new CommandRequest("env", []), CancellationToken.None);

            Assert.True(result.Succeeded, result.Stderr);
            var seen = result.Stdout.Split('\n').Select(l => l.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("BC_TEST_KEPT", seen);
            Assert.Contains("LC_ALL", seen);
            foreach (var name in ChildEnvironment.Withheld) Assert.DoesNotContain(name, seen);
        }
        finally
        {
            foreach (var (name, value) in before) Environment.SetEnvironmentVariable(name, value);
        }
    }
}

[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;
