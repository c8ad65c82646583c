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

    /// <summary>Finds a time zone by its id (IANA, or Windows on Windows), or makes a fixed offset from
    /// <c>UTC+01:00</c> or <c>+01:00</c> (no summer time: what a Python arq worker without <c>timezone=</c> uses,
    /// docs/cron.md); the error names a zone this machine does not know.</summary>
    public static TimeZoneInfo FindTimeZone(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var offsetText = id.StartsWith("UTC", StringComparison.OrdinalIgnoreCase) && id.Length > 3 ? id[3..] : id;
        if (offsetText[0] is '+' or '-'
            && TimeSpan.TryParseExact(offsetText[1..], @"hh\:mm", System.Globalization.CultureInfo.InvariantCulture, out var offset))
        {
            var name = $@"UTC{offsetText[0]}{offset:hh\:mm}";
            return TimeZoneInfo.CreateCustomTimeZone(name, offsetText[0] == '-' ? -offset : offset, name, name);
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"The time zone '{id}' is not known on this machine; give an IANA id such as Europe/Berlin, or a fixed offset such as UTC+01:00.", nameof(id), e);
        }
    }

    /// <summary>The job function settings each run gets: the timeout, result keeping and tries above.</summary>
    public JobFunctionSettings ToSettings() => new() { Timeout = Timeout, KeepResult = KeepResult, MaxTries = MaxTries };
}
