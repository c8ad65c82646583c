namespace Arq.Worker;

/// <summary>
/// When a job function fails (throws anything but <see cref="ArgumentBindingException"/>, and does not time out),
/// a retry policy runs it again after a delay, until the function's max tries are used. Without a policy a failure
/// is final, as in arq; <see cref="RetryJobException"/> asks for another try either way.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>The delay after the first failed try.</summary>
    public required TimeSpan Delay { get; init; }

    /// <summary>Each further failure multiplies the delay by this (1: a fixed delay).</summary>
    public double Factor { get; init; } = 1;

    /// <summary>The longest delay, however many tries failed.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Spreads retries of jobs that failed together: each delay is drawn between half and all of its
    /// nominal value ("equal jitter"), so the delay still grows with each try.</summary>
    public bool Jitter { get; init; }

    /// <summary>The same delay after every failure.</summary>
    public static RetryPolicy Fixed(TimeSpan delay) => new() { Delay = delay };

    /// <summary>A delay that doubles with each failure, up to <paramref name="maxDelay"/> (an hour by default).</summary>
    public static RetryPolicy Exponential(TimeSpan firstDelay, TimeSpan? maxDelay = null, bool jitter = true) =>
        new() { Delay = firstDelay, Factor = 2, MaxDelay = maxDelay ?? TimeSpan.FromHours(1), Jitter = jitter };

    /// <summary>The delay before the next try, after try number <paramref name="failedTry"/> (1 for the first) failed.</summary>
    public TimeSpan DelayAfter(long failedTry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedTry, 1);
        var nominal = Math.Min(Delay.TotalMilliseconds * Math.Pow(Factor, failedTry - 1), MaxDelay.TotalMilliseconds);
        if (Jitter) nominal = nominal / 2 + Random.Shared.NextDouble() * nominal / 2;
        return TimeSpan.FromMilliseconds(Math.Round(nominal));
    }
}
