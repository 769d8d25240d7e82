namespace BranchConnector.Agent.Tools;

public sealed record CommandResult(CommandRequest Request, int ExitCode, string Stdout, string Stderr, TimeSpan Duration, bool TimedOut)
{
    /// <summary>stdout or stderr went past <see cref="CommandRequest.MaxOutputBytes"/> and was cut there.</summary>
    public bool OutputTruncated { get; init; }

    public bool Succeeded => ExitCode == 0 && !TimedOut && !OutputTruncated;

    /// <summary>A one-line description for errors: the redacted command line, exit code and first stderr line.</summary>
    public string Describe() =>
        $"{Request.CommandLine} {(TimedOut ? "was killed after its timeout" : "exited " + ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}{(OutputTruncated ? $" (output cut at {Request.MaxOutputBytes} bytes)" : "")}: {SecretRedactor.Redact(Stderr.Trim())}";
}
