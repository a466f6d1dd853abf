using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Smets1Sim.Client.Tests.Fakes;

/// <summary>Keeps every formatted log line with its event id.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(EventId EventId, LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Entries.Enqueue((eventId, logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
