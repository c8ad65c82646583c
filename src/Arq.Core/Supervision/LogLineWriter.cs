using Microsoft.Extensions.Logging;

namespace Arq.Supervision;

/// <summary>
/// Writes an executor's log and events as JSON lines (standard output, for the supervisor to read), each after the
/// run's <see cref="ExecutorSettings.EventToken"/>, and is the worker's <see cref="ILogger"/>. Thread-safe: lines
/// never interleave.
/// </summary>
internal sealed class LogLineWriter(TextWriter output) : ILogger
{
    /// <summary>What every line starts with: the supervisor reads only lines that carry its token as events.</summary>
    public string EventToken { get; set; } = "";

    /// <summary>Lines less important than this are not written (nor formatted, for the worker's logger).</summary>
    public ExecutorLogLevel MinimumLevel { get; set; } = ExecutorLogLevel.Debug;

    /// <summary>Writes one event.</summary>
    public void Write(ExecutorEvent executorEvent)
    {
        var line = EventToken + executorEvent.ToJson();
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>Writes a log line at <paramref name="level"/>.</summary>
    public void Log(ExecutorLogLevel level, string message)
    {
        if (level >= MinimumLevel) Write(new ExecutorEvent.Log(level, message));
    }

    IDisposable? ILogger.BeginScope<TState>(TState state) => null;

    bool ILogger.IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && Level(logLevel) >= MinimumLevel;

    void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (Level(logLevel) < MinimumLevel) return;
        var message = formatter(state, exception);
        if (exception is not null) message += Environment.NewLine + exception;
        Log(Level(logLevel), message);
    }

    private static ExecutorLogLevel Level(LogLevel logLevel) => logLevel switch
    {
        LogLevel.Trace or LogLevel.Debug => ExecutorLogLevel.Debug,
        LogLevel.Information => ExecutorLogLevel.Information,
        LogLevel.Warning => ExecutorLogLevel.Warning,
        _ => ExecutorLogLevel.Error,
    };
}
