namespace BranchConnector.Agent.Tools;

public sealed record CommandResult(CommandRequest Request, int ExitCode, string Stdout, string Stderr, TimeSpan Duration, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>A one-line description for errors: the redacted command line, exit code and first stderr line.</summary>
    public string Describe() =>
        $"{Request.CommandLine} exited {(TimedOut ? "after timeout" : ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {SecretRedactor.Redact(Stderr.Trim())}";
}
