namespace Arq.Worker;

/// <summary>Deadlines on the worker's one clock (<see cref="ArqWorkerOptions.Clock"/>), so that timeouts, leases and
/// waits follow a fake clock in tests as the scores and the results' times do.</summary>
internal static class WorkerClock
{
    /// <summary>The clock's timestamp <paramref name="span"/> from now (long.MaxValue when that is beyond reach).</summary>
    public static long TimestampAfter(this TimeProvider clock, TimeSpan span)
    {
        var ticks = span.TotalSeconds * clock.TimestampFrequency;
        var now = clock.GetTimestamp();
        return ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
    }

    /// <summary>How long until a timestamp of the clock; zero or negative once it has passed.</summary>
    public static TimeSpan Until(this TimeProvider clock, long timestamp) =>
        timestamp == long.MaxValue ? TimeSpan.MaxValue : -clock.GetElapsedTime(timestamp);
}
