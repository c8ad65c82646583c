namespace Arq.Worker;

/// <summary>
/// Runs a public method of an actor by a schedule, registered as <c>cron:ActorName.MethodName</c>:
/// <c>[Cron("0 3 * * *")]</c> every day at 3:00, <c>[Cron("*/10 * * * * *")]</c> every ten seconds (six fields:
/// seconds first). The method may take a <see cref="JobContext"/> and a <see cref="CancellationToken"/>, nothing else.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class CronAttribute(string schedule) : Attribute
{
    /// <summary>The cron expression.</summary>
    public string Schedule { get; } = schedule;

    /// <summary>The name after <c>cron:</c>, instead of <c>ActorName.MethodName</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The time zone the schedule is read in: an id (IANA, or Windows on Windows), or a fixed offset such as
    /// <c>UTC+01:00</c>; default: local time.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Also run when the worker starts.</summary>
    public bool RunAtStartup { get; set; }

    /// <summary>How long a run may take, in seconds; 0 means the worker's job timeout.</summary>
    public double TimeoutSeconds { get; set; }

    /// <summary>How long each run's result is kept, in seconds; 0 (the default) means not at all.</summary>
    public double KeepResultSeconds { get; set; }

    /// <summary>The options the attribute describes.</summary>
    /// <exception cref="ArgumentException">The time zone is not known.</exception>
    public CronOptions ToOptions() => new()
    {
        TimeZone = TimeZone is null ? null : CronOptions.FindTimeZone(TimeZone),
        RunAtStartup = RunAtStartup,
        Timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : null,
        KeepResult = TimeSpan.FromSeconds(KeepResultSeconds),
    };
}
