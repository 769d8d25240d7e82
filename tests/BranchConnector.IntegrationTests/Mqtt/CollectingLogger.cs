using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BranchConnector.IntegrationTests.Mqtt;

/// <summary>Keeps every formatted log line (with exception text) so tests can check what a session logged.</summary>
public sealed class CollectingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public string All => string.Join('\n', _lines);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
}
