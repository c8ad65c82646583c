using Cronos;

namespace Arq.Worker;

/// <summary>
/// A function that workers run by a schedule (docs/protocol.md §12). Every worker on the queue enqueues each run under the
/// same id, <c>cron:&lt;name&gt;:&lt;unix ms&gt;</c>, shortly before it is due; Redis keeps only the first, so each run
/// happens once however many workers (ours or Python arq's) serve the queue.
/// </summary>
public sealed class CronJob
{
    /// <summary>arq runs cron jobs 123.456 ms past the scheduled second (its default <c>microsecond=123456</c>); the
    /// run time, and so the job id, must match for Python and .NET workers to agree on each run.</summary>
    private static readonly TimeSpan ArqOffset = TimeSpan.FromTicks(1_234_560);

    private readonly CronExpression expression;

    internal CronJob(JobFunction function, string schedule, CronOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schedule);
        Function = function;
        Schedule = schedule.Trim();
        TimeZone = options.TimeZone ?? TimeZoneInfo.Local;
        RunAtStartup = options.RunAtStartup;
        var fields = Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            expression = CronExpression.Parse(Schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new ArgumentException(
                $"The cron job {function.Name} has an invalid schedule '{Schedule}': {e.Message} " +
                "(five fields: minute hour day month weekday, or six with seconds first).", nameof(schedule), e);
        }
    }

    /// <summary>The registered function name, <c>cron:</c> and the job's name, as arq names cron jobs.</summary>
    public string Name => Function.Name;

    /// <summary>The cron expression: five fields, or six with seconds first.</summary>
    public string Schedule { get; }

    /// <summary>The time zone the schedule is read in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Whether the job also runs when a worker starts.</summary>
    public bool RunAtStartup { get; }

    /// <summary>What runs.</summary>
    public JobFunction Function { get; }

    /// <summary>The first run strictly after <paramref name="after"/>, or null if the schedule has none.</summary>
    public DateTimeOffset? NextRun(DateTimeOffset after) =>
        expression.GetNextOccurrence(after - ArqOffset, TimeZone) is { } occurrence ? occurrence + ArqOffset : null;

    /// <summary>The job id of the run at <paramref name="runAt"/>.</summary>
    public string JobId(DateTimeOffset runAt) => $"{Name}:{runAt.ToUnixTimeMilliseconds()}";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Schedule}, {TimeZone.Id})";
}
