using System.Globalization;
using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>
/// The ARGV of <see cref="ArqScripts.Finish"/> for a batch of jobs, in the order finish.lua reads them: the abort set,
/// then <see cref="Stride"/> values a job. The one place that knows that layout on this side of the script.
/// </summary>
internal sealed class FinishArguments
{
    /// <summary>The values each job takes; finish.lua steps through ARGV by the same number.</summary>
    public const int Stride = 6;

    private readonly RedisValue[] values;
    private int added;

    public FinishArguments(int jobs)
    {
        values = new RedisValue[1 + jobs * Stride];
        values[0] = ArqKeys.Abort;
    }

    /// <summary>Adds a job to the batch.</summary>
    /// <param name="jobId">The finished job.</param>
    /// <param name="queue">Its queue.</param>
    /// <param name="cron">A cron run: its in-progress key is kept 60 s rather than deleted.</param>
    /// <param name="success">Counted as complete, or as failed (and listed in the queue's failures).</param>
    /// <param name="keep">How long the result is kept: zero for no result, <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="result">The encoded result; ignored when it is not kept or <paramref name="writtenBeside"/>.</param>
    /// <param name="writtenBeside">The caller SETs the result itself beside the script (a large one).</param>
    public FinishArguments Add(string jobId, string queue, bool cron, bool success, TimeSpan keep, RedisValue result, bool writtenBeside)
    {
        var at = 1 + added++ * Stride;
        var stored = keep != TimeSpan.Zero && !writtenBeside;
        values[at] = jobId;
        values[at + 1] = queue;
        values[at + 2] = cron ? 1 : 0;
        values[at + 3] = success ? 1 : 0;
        values[at + 4] = keep == TimeSpan.Zero ? "0" : writtenBeside ? "x" : KeepMs(keep);
        values[at + 5] = stored ? result : RedisValue.EmptyString;
        return this;
    }

    /// <summary>The arguments, once every job is added.</summary>
    public RedisValue[] ToArray() =>
        added * Stride + 1 == values.Length ? values : throw new InvalidOperationException($"{added} of {(values.Length - 1) / Stride} jobs added.");

    private static string KeepMs(TimeSpan keep) =>
        keep == Timeout.InfiniteTimeSpan ? "-1" : ((long)keep.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
