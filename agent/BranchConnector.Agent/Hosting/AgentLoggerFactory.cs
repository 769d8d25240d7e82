using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace BranchConnector.Agent.Hosting;

/// <summary>
/// The agent's <see cref="ILoggerFactory"/> over one Serilog pipeline (<see cref="AgentLogging"/>). Commands log
/// through it directly; the daemon hands <see cref="Serilog"/> to the generic host (Serilog.Extensions.Hosting),
/// so the host's own loggers write to the same stderr lines with the same journal priorities.
/// </summary>
public sealed class AgentLoggerFactory(Serilog.Core.Logger logger) : ILoggerFactory
{
    private readonly SerilogLoggerFactory _factory = new(logger, dispose: true);

    /// <summary>The pipeline itself; owned (and flushed on dispose) by this factory.</summary>
    public Serilog.ILogger Serilog => logger;

    public ILogger CreateLogger(string categoryName) => _factory.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => _factory.AddProvider(provider);

    public void Dispose() => _factory.Dispose();
}
