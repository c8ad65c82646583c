namespace Arq;

/// <summary>A cron job as the workers of a queue publish it: its schedule and its next run.</summary>
/// <param name="Name">The job's function name, <c>cron:</c> and the job's name.</param>
/// <param name="Schedule">The cron expression.</param>
/// <param name="TimeZone">The id of the time zone the schedule is read in.</param>
/// <param name="NextRun">The next run the worker will enqueue, if the schedule has one.</param>
public sealed record CronJobInfo(string Name, string Schedule, string TimeZone, DateTimeOffset? NextRun)
{
    internal string ToJson() => ArqJson.Serialize(this, ArqJsonContext.Default.CronJobInfo);

    internal static CronJobInfo? FromJson(string json) => ArqJson.TryDeserialize(json, ArqJsonContext.Default.CronJobInfo);
}
