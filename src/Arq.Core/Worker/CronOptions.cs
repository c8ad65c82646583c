namespace Arq.Worker;

/// <summary>How a cron job is scheduled and run. The defaults are arq's: no result kept, one try.</summary>
public sealed record CronOptions
{
    /// <summary>The time zone the schedule is read in; null means the worker's local time zone, as in arq.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>Run once as soon as the worker starts, then by the schedule.</summary>
    public bool RunAtStartup { get; init; }

    /// <summary>How long a run may take; null means the worker's job timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long each run's result is kept: zero (the default) for not at all.</summary>
    public TimeSpan KeepResult { get; init; } = TimeSpan.Zero;

    /// <summary>How many tries each run gets.</summary>
    public int MaxTries { get; init; } = 1;

    /// <summary>Finds a time zone by its id (IANA, or Windows on Windows), with an error that names it.</summary>
    public static TimeZoneInfo FindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"The time zone '{id}' is not known on this machine.", nameof(id), e);
        }
    }

    /// <summary>The job function settings each run gets: the timeout, result keeping and tries above.</summary>
    public JobFunctionSettings ToSettings() => new() { Timeout = Timeout, KeepResult = KeepResult, MaxTries = MaxTries };
}
