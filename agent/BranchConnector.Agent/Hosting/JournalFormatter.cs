using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// Formats an event for journald's stdout/stderr stream: every line (continuation lines of a message or a
/// stack trace too) starts with the sd-daemon "&lt;N&gt;" syslog priority, and there is no timestamp because
/// the journal adds its own.
/// </summary>
internal sealed class JournalFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _body = new("{Message:lj}{NewLine}{Exception}", System.Globalization.CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var body = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _body.Format(logEvent, body);
        var prefix = $"<{Priority(logEvent.Level)}>";
        foreach (var line in body.ToString().TrimEnd('\r', '\n').Split('\n'))
        {
            output.Write(prefix);
            output.Write(line.TrimEnd('\r'));
            output.Write('\n');
        }
    }

    /// <summary>syslog(3) priorities as sd-daemon(3) reads them.</summary>
    internal static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => 7,
        LogEventLevel.Information => 6,
        LogEventLevel.Warning => 4,
        LogEventLevel.Error => 3,
        _ => 2,
    };
}
