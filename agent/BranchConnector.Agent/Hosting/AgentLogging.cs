using System.Globalization;
using BranchConnector.Agent.Config;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The agent's logging: Serilog behind Microsoft.Extensions.Logging (in the daemon through
/// Serilog.Extensions.Hosting), written to stderr. Under systemd
/// (JOURNAL_STREAM set) lines carry "&lt;N&gt;" priority prefixes and no timestamp; otherwise they are
/// human lines with a timestamp and level.
/// </summary>
public static class AgentLogging
{
    internal const string ConsoleTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";

    /// <summary>True when stderr goes to the journal (systemd sets JOURNAL_STREAM for the service).</summary>
    public static bool IsJournalStream() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    /// <param name="journal">Journal format on or off; null detects it from the environment.</param>
    public static AgentLoggerFactory CreateLoggerFactory(LogSettings settings, bool? journal = null) =>
        CreateLoggerFactory(settings, journal ?? IsJournalStream(), Console.Error);

    internal static AgentLoggerFactory CreateLoggerFactory(LogSettings settings, bool journal, TextWriter output)
    {
        ITextFormatter formatter = journal
            ? new JournalFormatter()
            : new MessageTemplateTextFormatter(ConsoleTemplate, CultureInfo.InvariantCulture);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilogLevel(settings.Level))
            // The generic host's own lines ("Application started", content root) say nothing about the agent.
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            // A start-up failure propagates to `run`, which logs it once (critical) and exits; the host would log it twice.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal)
            .WriteTo.Sink(new TextWriterSink(formatter, output))
            .CreateLogger();
        return new AgentLoggerFactory(logger);
    }

    internal static LogEventLevel ToSerilogLevel(string level) => level.ToLowerInvariant() switch
    {
        "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "information" => LogEventLevel.Information,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "fatal" => LogEventLevel.Fatal,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not one of " + string.Join(", ", LogSettings.Levels)),
    };
}
