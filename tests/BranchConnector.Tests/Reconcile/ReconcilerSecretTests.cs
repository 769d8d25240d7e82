using BranchConnector.Agent.Linux.Firewall;
using BranchConnector.Agent.Reconcile;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using BranchConnector.Tests.Golden;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Tests.Reconcile;

/// <summary>
/// A whole apply through the <see cref="Reconciler"/> with a recording runner: the WireGuard private key and the
/// preshared key travel only on secret stdin, never on an argument list, in a log line or in an error.
/// </summary>
public sealed class ReconcilerSecretTests : IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("bc-secrets-").FullName;

    [Fact]
    public async Task A_full_apply_keeps_both_keys_off_argument_lists_and_out_of_the_log()
    {
        var runner = new RecordingRunner(_ => null);
        var log = new CapturingLogger();
        var outcome = await Reconciler(runner, log).ReconcileAsync(await PlanCases.IntentAsync(PlanCases.FullBatch()), KernelIntent.Empty, "batch 1", CancellationToken.None);

        Assert.True(outcome.Succeeded, string.Join('\n', log.Lines));
        Assert.Contains(runner.Requests, r => r.Stdin?.Contains(PlanCases.PrivateKey, StringComparison.Ordinal) == true);
        Assert.Contains(runner.Requests, r => r.Stdin?.Contains(PlanCases.PresharedKey, StringComparison.Ordinal) == true);
        AssertNoSecretLeaked(runner, log);
    }

    [Fact]
    public async Task A_failing_wireguard_command_that_echoes_its_input_is_reported_and_rolled_back_without_the_keys()
    {
        // wg names the line it could not parse, secret and all: the error must still not carry it anywhere.
        var runner = new RecordingRunner(r => r.FileName == "wg" && r.Arguments.Count > 0 && r.Arguments[0] is "setconf" or "syncconf"
            ? (1, $"Line unrecognized: `PrivateKey={PlanCases.PrivateKey}'\nLine unrecognized: `PresharedKey={PlanCases.PresharedKey}'\nConfiguration parsing error\n")
            : null);
        var log = new CapturingLogger();
        var outcome = await Reconciler(runner, log).ReconcileAsync(await PlanCases.IntentAsync(PlanCases.FullBatch()), KernelIntent.Empty, "batch 1", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.NotNull(outcome.Failure);
        Assert.True(outcome.RolledBack, string.Join('\n', log.Lines));
        foreach (var text in new[] { outcome.Failure!.CommandText, outcome.Failure.Stderr, outcome.Failure.Result.Describe() })
        {
            Assert.DoesNotContain(PlanCases.PrivateKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(PlanCases.PresharedKey, text, StringComparison.Ordinal);
        }
        AssertNoSecretLeaked(runner, log);
    }

    private static void AssertNoSecretLeaked(RecordingRunner runner, CapturingLogger log)
    {
        Assert.NotEmpty(runner.Requests);
        Assert.NotEmpty(log.Lines);
        foreach (var request in runner.Requests)
        {
            foreach (var argument in request.Arguments)
            {
                Assert.DoesNotContain(PlanCases.PrivateKey, argument, StringComparison.Ordinal);
                Assert.DoesNotContain(PlanCases.PresharedKey, argument, StringComparison.Ordinal);
            }
            var secretInStdin = request.Stdin is { } stdin
                && (stdin.Contains(PlanCases.PrivateKey, StringComparison.Ordinal) || stdin.Contains(PlanCases.PresharedKey, StringComparison.Ordinal));
            if (secretInStdin) Assert.True(request.StdinIsSecret, request.CommandLine);
            Assert.DoesNotContain(PlanCases.PrivateKey, request.DisplayStdin ?? "", StringComparison.Ordinal);
        }
        foreach (var line in log.Lines)
        {
            Assert.DoesNotContain(PlanCases.PrivateKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(PlanCases.PresharedKey, line, StringComparison.Ordinal);
        }
    }

    private Reconciler Reconciler(RecordingRunner runner, CapturingLogger log) => new(
        new StateObserver(runner, FirewallBackend.Nft), new PlanApplier(runner), new OwnershipJournal(_stateDir),
        () => PlanCases.Context(OwnershipRecord.Empty), log);

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    /// <summary>An empty box (lo, eth0, lan0; no routes, rules or rulesets) that records and accepts every change.</summary>
    private sealed class RecordingRunner(Func<CommandRequest, (int Exit, string Stderr)?> failure) : ICommandRunner
    {
        private const string Links = """
            [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},
             {"ifindex":2,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"addr_info":[{"family":"inet","local":"198.51.100.2","prefixlen":24}]},
             {"ifindex":3,"ifname":"lan0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"addr_info":[]}]
            """;

        public List<CommandRequest> Requests { get; } = [];

        public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var stdout = request.Arguments.SequenceEqual(["-j", "-d", "addr", "show"]) ? Links
                : request.FileName == "ip" && request.Arguments.Contains("-j") ? "[]"
                : "";
            var (exit, stderr) = failure(request) ?? (0, "");
            return Task.FromResult(new CommandResult(request, exit, exit == 0 ? stdout : "", stderr, TimeSpan.FromMilliseconds(1), false));
        }
    }

    private sealed class CapturingLogger : ILogger<Reconciler>
    {
        private readonly List<string> _lines = [];
        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
