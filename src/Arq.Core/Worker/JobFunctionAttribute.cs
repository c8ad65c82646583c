namespace Arq.Worker;

/// <summary>
/// Marks a public method of an actor class as a job function, registered as <c>ActorName.MethodName</c>
/// (in Python arq 0.26, a coroutine listed in <c>WorkerSettings.functions</c>, with its settings given by
/// <c>arq.worker.func</c>). The settings override the worker's for this function.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class JobFunctionAttribute : Attribute
{
    /// <summary>The name after the actor's, instead of the method name.</summary>
    public string? Name { get; set; }

    /// <summary>How long a try may run, in seconds; 0 means the worker's job timeout.</summary>
    public double TimeoutSeconds { get; set; }

    /// <summary>How many tries the job gets; 0 means the worker's setting.</summary>
    public int MaxTries { get; set; }

    /// <summary>How long the result is kept, in seconds; negative means the worker's setting, 0 means not at all.</summary>
    public double KeepResultSeconds { get; set; } = -1;

    /// <summary>Keep the result until deleted.</summary>
    public bool KeepResultForever { get; set; }

    /// <summary>Seconds before a failed job runs again (a <see cref="RetryPolicy"/>); 0 means a failure is final.</summary>
    public double RetryDelaySeconds { get; set; }

    /// <summary>Double the retry delay after each failed try.</summary>
    public bool RetryExponential { get; set; }

    /// <summary>Draw each retry delay between half and all of its nominal value.</summary>
    public bool RetryJitter { get; set; }

    /// <summary>The longest retry delay in seconds; 0 means an hour.</summary>
    public double MaxRetryDelaySeconds { get; set; }

    /// <summary>At most this many of the function's jobs start per period on a queue, all workers together:
    /// <c>"100/min"</c>, <c>"10/s"</c> (see <see cref="Worker.RateLimit"/>); null for no limit.</summary>
    public string? RateLimit { get; set; }

    /// <summary>The retry policy the attribute describes, if any.</summary>
    public RetryPolicy? ToRetryPolicy() => RetryDelaySeconds <= 0 ? null : new RetryPolicy
    {
        Delay = TimeSpan.FromSeconds(RetryDelaySeconds),
        Factor = RetryExponential ? 2 : 1,
        MaxDelay = MaxRetryDelaySeconds > 0 ? TimeSpan.FromSeconds(MaxRetryDelaySeconds) : TimeSpan.FromHours(1),
        Jitter = RetryJitter,
    };

    /// <summary>The settings the attribute describes (the PowerShell module reads them from scripts this way).</summary>
    /// <exception cref="ArgumentException">The rate limit is not one.</exception>
    public JobFunctionSettings ToSettings() => new()
    {
        Retry = ToRetryPolicy(),
        Timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : null,
        MaxTries = MaxTries > 0 ? MaxTries : null,
        KeepResult = KeepResultForever ? Timeout.InfiniteTimeSpan : KeepResultSeconds >= 0 ? TimeSpan.FromSeconds(KeepResultSeconds) : null,
        RateLimit = RateLimit is null ? null
            : Worker.RateLimit.TryParse(RateLimit, out var limit) ? limit
            : throw new ArgumentException($"The job function's RateLimit = '{RateLimit}' is not a rate limit: write a count, a slash and a period, as in 10/s, 100/min or 5/10s.", nameof(RateLimit)),
    };
}
