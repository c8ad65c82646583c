using Arq.Worker;
using StackExchange.Redis;

namespace Arq.WorkerHost;

/// <summary>Job functions that take time and count their runs in Redis, so tests can see what ran twice. A try whose
/// own Redis call fails (the reliability suite restarts Redis under it) runs again by its retry policy.</summary>
public sealed class Sleeper(IDatabase redis)
{
    [JobFunction(RetryDelaySeconds = 0.2, MaxTries = 10)]
    public async Task<long> Nap(long milliseconds, JobContext context)
    {
        await redis.HashIncrementAsync("test:runs", context.JobId);
        await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), context.CancellationToken);
        return context.Try;
    }

    /// <summary>Sleeps, and returns when it started and ended (Unix milliseconds) and its try, for tests that compare
    /// which jobs ran at the same time.</summary>
    [JobFunction]
    public static async Task<long[]> Span(long milliseconds, JobContext context)
    {
        var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), context.CancellationToken);
        return [started, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), context.Try];
    }
}
