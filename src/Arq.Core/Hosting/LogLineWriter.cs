using Microsoft.Extensions.Logging;

namespace Arq.Hosting;

/// <summary>
/// Writes an executor's log and events as JSON lines (standard output, for the supervisor to read), and is the
/// worker's <see cref="ILogger"/>. Thread-safe: lines never interleave.
/// </summary>
public sealed class LogLineWriter(TextWriter output) : ILogger
{
    /// <summary>Writes one event.</summary>
    public void Write(ExecutorEvent executorEvent)
    {
        var line = executorEvent.ToJson();
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>Writes a log line at <paramref name="level"/>.</summary>
    public void Log(ExecutorLogLevel level, string message) => Write(new ExecutorEvent.Log(level, message));

    IDisposable? ILogger.BeginScope<TState>(TState state) => null;

    bool ILogger.IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        if (exception is not null) message += Environment.NewLine + exception;
        Log(logLevel switch
        {
            LogLevel.Trace or LogLevel.Debug => ExecutorLogLevel.Debug,
            LogLevel.Information => ExecutorLogLevel.Information,
            LogLevel.Warning => ExecutorLogLevel.Warning,
            _ => ExecutorLogLevel.Error,
        }, message);
    }
}
