using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// A logger provider that keeps every entry a server writes, so a test can say what an attacker's
/// request costs in the log (entries at Error, bytes written). Added through RegistryServer's configure hook.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedEntry> _entries = new();

    public IReadOnlyList<CapturedEntry> Entries => [.. _entries];

    /// <summary>Entries at Error or above.</summary>
    public IReadOnlyList<CapturedEntry> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    /// <summary>What the entries at <paramref name="level"/> or above would cost a log file: each message plus its exception's text.</summary>
    public long BytesAtOrAbove(LogLevel level) => _entries.Where(e => e.Level >= level).Sum(e => (long)System.Text.Encoding.UTF8.GetByteCount(e.Text));

    /// <summary>
    /// Waits until the host has logged the end of a request to <paramref name="path"/>: after it,
    /// everything the server logs about that request has been logged.
    /// </summary>
    public async Task WaitForRequestFinishedAsync(string path)
    {
        for (int i = 0; i < 600; i++)
        {
            if (_entries.Any(e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && e.EventId.Id == 2 && e.Text.Contains(path, StringComparison.Ordinal)))
            {
                return;
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"The server logged no end of a request to {path}; it logged: {string.Join(Environment.NewLine, _entries)}");
    }

    public void Clear() => _entries.Clear();

    /// <summary>Adds this provider to the server's logging, from Information up whatever the server's own settings.</summary>
    public void AddTo(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.Logging.AddProvider(this);
        builder.Logging.AddFilter<CapturedLogs>(level => level >= LogLevel.Information);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new CapturedEntry(category, logLevel, eventId, formatter(state, exception) + (exception is null ? "" : Environment.NewLine + exception)));
    }
}

public sealed record CapturedEntry(string Category, LogLevel Level, EventId EventId, string Text)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Text}";
}
