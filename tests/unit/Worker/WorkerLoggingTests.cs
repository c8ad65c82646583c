using Microsoft.Extensions.Logging;

namespace Arq.Tests.Worker;

/// <summary>The worker's log: a line per job start and end in arq's spirit, and a summary at shutdown.</summary>
public sealed class WorkerLoggingTests : WorkerTest
{
    [Fact]
    public async Task Each_job_logs_its_start_and_end_and_the_worker_its_summary()
    {
        var log = new ListLogger();
        var ok = (await Client.EnqueueAsync("Calculator.Add", 1, 2))!;
        var bad = (await Client.EnqueueAsync("Calculator.Fail", "kaput"))!;

        await new Arq.Worker.ArqWorker(Connection, Functions, Fast with { Burst = true }, log).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains(log.Lines, l => l.Level == LogLevel.Information && l.Text.Contains($"→ {ok.Id}:Calculator.Add(1, 2) try=1"));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Information && l.Text.Contains($"← {ok.Id}:Calculator.Add ● 3"));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains($"! {bad.Id}:Calculator.Fail failed, InvalidOperationException: kaput"));
        Assert.Contains(log.Lines, l => l.Text.StartsWith("Worker stopped: 1 complete, 1 failed, 0 retried, 0 timed out", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
