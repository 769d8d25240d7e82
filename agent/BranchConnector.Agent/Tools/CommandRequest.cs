namespace BranchConnector.Agent.Tools;

/// <summary>One tool invocation. Secrets travel only in <see cref="Stdin"/>, never in <see cref="Arguments"/>.</summary>
public sealed record CommandRequest(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Text written to the process's standard input, then closed. Null: stdin is closed at once.</summary>
    public string? Stdin { get; init; }

    /// <summary>True when <see cref="Stdin"/> carries key material: it is then never rendered or logged.</summary>
    public bool StdinIsSecret { get; init; }

    /// <summary>After this the process and every child it started are killed (SIGKILL); the result says TimedOut.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most of each of stdout and stderr that is kept; the rest is read and dropped, and the result is a
    /// failure (<see cref="CommandResult.OutputTruncated"/>): a parser must never see half a dump. 16 MiB is far
    /// above what the largest observed state prints (iptables-save of the L bench batch is well under 1 MiB).
    /// </summary>
    public int MaxOutputBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Whether running it changes kernel state (counted separately in benchmarks and idempotence tests).</summary>
    public bool Mutates { get; init; }

    /// <summary>The command line as a person would type it. Arguments never hold secrets, so nothing needs redacting here.</summary>
    public string CommandLine => string.Join(' ', new[] { FileName }.Concat(Arguments.Select(QuoteIfNeeded)));

    /// <summary>The stdin text fit for a log or a Confirm: secret stdin is replaced by a marker.</summary>
    public string? DisplayStdin => Stdin is null ? null : StdinIsSecret ? SecretRedactor.Redact(Stdin) : Stdin;

    public static CommandRequest Of(string fileName, params string[] arguments) => new(fileName, arguments);

    private static string QuoteIfNeeded(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
