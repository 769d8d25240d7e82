using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace BranchConnector.Agent.Hosting;

/// <summary>Writes each event whole and flushed, so lines from concurrent loggers never interleave.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, output);
            output.Flush();
        }
    }
}
