using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Smets1Sim.Tests.Shared;

/// <summary>One log entry a server wrote during a test.</summary>
internal sealed record TestLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString()
        => $"{Level} {EventId.Id} [{Category}] {Message}{(Exception is null ? string.Empty : $" ({Exception.GetType().Name}: {Exception.Message})")}";
}

/// <summary>
/// The test environment's log (the model is MQTTnet's TestEnvironment): a logger factory that records every entry
/// the code under test writes. A test says which warnings it provokes with <see cref="Expect"/>;
/// <see cref="AssertClean"/>, called at test cleanup, fails the test on any Warning or worse it did not expect (a
/// server-side internal error can no longer pass as "some exception") and on an expected one that never came.
/// </summary>
internal sealed class TestLog : ILoggerFactory
{
    private readonly ConcurrentQueue<TestLogEntry> _entries = new();
    private readonly ConcurrentDictionary<int, bool> _expected = new();
    private readonly ConcurrentDictionary<int, bool> _allowed = new();

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyList<TestLogEntry> Entries => [.. _entries];

    /// <summary>A logger for code that takes an <see cref="ILogger"/>.</summary>
    public ILogger Logger => CreateLogger("test");

    /// <summary>The test provokes warnings with these event ids: at least one of each must be logged.</summary>
    public TestLog Expect(params int[] eventIds)
    {
        foreach (int id in eventIds)
        {
            _expected[id] = true;
        }

        return this;
    }

    /// <summary>Warnings with these event ids may be logged (e.g. by a fuzz test), but need not be.</summary>
    public TestLog Allow(params int[] eventIds)
    {
        foreach (int id in eventIds)
        {
            _allowed[id] = true;
        }

        return this;
    }

    /// <summary>The entries logged with <paramref name="eventId"/>.</summary>
    public IReadOnlyList<TestLogEntry> WithEventId(int eventId) => [.. _entries.Where(e => e.EventId.Id == eventId)];

    /// <summary>Fails the test on an unexpected Warning or worse, or on an expected event id never logged.</summary>
    public void AssertClean()
    {
        TestLogEntry[] unexpected = [.. _entries.Where(e => e.Level >= LogLevel.Warning
            && !_expected.ContainsKey(e.EventId.Id) && !_allowed.ContainsKey(e.EventId.Id))];
        if (unexpected.Length > 0)
        {
            Assert.Fail($"the server logged {unexpected.Length} entr{(unexpected.Length == 1 ? "y" : "ies")} the test did not expect:{Environment.NewLine}{string.Join(Environment.NewLine, unexpected.Select(e => e.ToString()))}");
        }

        int[] missing = [.. _expected.Keys.Where(id => !_entries.Any(e => e.EventId.Id == id))];
        if (missing.Length > 0)
        {
            Assert.Fail($"expected log event(s) {string.Join(", ", missing)} never logged");
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the test log records; it does not forward");

    public void Dispose()
    {
    }

    private sealed class Recorder(TestLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => log._entries.Enqueue(new TestLogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
