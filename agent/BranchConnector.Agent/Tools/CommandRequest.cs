namespace BranchConnector.Agent.Tools;

/// <summary>One tool invocation. Secrets travel only in <see cref="Stdin"/>, never in <see cref="Arguments"/>.</summary>
public sealed record CommandRequest(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Text written to the process's standard input, then closed. Null: stdin is closed at once.</summary>
    public string? Stdin { get; init; }

    /// <summary>True when <see cref="Stdin"/> carries key material: it is then never rendered or logged.</summary>
    public bool StdinIsSecret { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

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
