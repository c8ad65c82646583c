using Arq.Protocol;
using Microsoft.Extensions.Logging;

namespace Arq.Worker;

/// <summary>
/// Writes what became of each try to the store (§6/§7: a result and the job removed, or the job left queued for another
/// try), counts it for the worker's summary and health check, and logs it in arq's format.
/// </summary>
internal sealed class OutcomeRecorder(IWorkerStore store, ArqWorkerOptions options, ILogger logger)
{
    private long complete, failed, retried, timedOut;

    /// <summary>The counts so far, and how long the worker has run.</summary>
    public WorkerSummary Summary(TimeSpan uptime) => new(Interlocked.Read(ref complete), Interlocked.Read(ref failed),
        Interlocked.Read(ref retried), Interlocked.Read(ref timedOut), uptime);

    /// <summary>Records the outcome of a try that ran; <paramref name="keepResult"/> is the function's or the worker's,
    /// and the job's <paramref name="streams"/> are kept as long as its result (a try that will run again keeps none).</summary>
    public async Task RecordAsync(ClaimedJob claim, JobMessage job, long tryNumber, long startedMs, JobOutcome outcome, TimeSpan keepResult, bool cron,
        JobStreams? streams = null)
    {
        var seconds = (store.Now - startedMs) / 1000.0;
        switch (outcome)
        {
            case JobOutcome.Finished finished:
                var (args, kwargs) = finished.Success ? (job.Args, job.Kwargs) : Echoed(job);
                var result = new ResultMessage(tryNumber, job.Function, args, kwargs, job.EnqueueTimeMs,
                    finished.Success, finished.Result, startedMs, store.Now, claim.Queue, claim.JobId);
                await store.FinishAsync(claim.JobId, claim.Queue, result, keepResult, cron, streams).ConfigureAwait(false);
                if (finished.Success)
                {
                    Interlocked.Increment(ref complete);
                    if (logger.IsEnabled(LogLevel.Information))
                        logger.LogInformation("{Seconds,6:0.00}s ← {JobId}:{Function} ● {Result}", seconds, claim.JobId, job.Function, JobText.Shorten(finished.Result.ToString()));
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    if (finished.TimedOut) Interlocked.Increment(ref timedOut);
                    logger.LogWarning("{Seconds,6:0.00}s ! {JobId}:{Function} failed, {Error}", seconds, claim.JobId, job.Function, finished.Error);
                }
                break;
            case JobOutcome.Retry retry:
                var increment = retry.Delay is { } delay && delay > TimeSpan.Zero
                    ? (long)delay.TotalMilliseconds + store.Now - claim.ScoreMs
                    : 0;
                await store.RetryAsync(claim.JobId, claim.Queue, increment).ConfigureAwait(false);
                Interlocked.Increment(ref retried);
                logger.LogInformation("{Seconds,6:0.00}s ↻ {JobId}:{Function} {Why}, will run again{Delay}",
                    seconds, claim.JobId, job.Function, retry.Why, retry.Delay is null ? "" : $" in {retry.Delay.Value.TotalSeconds:0.##}s");
                break;
        }
    }

    /// <summary>§7: a failure found before the function runs, recorded with the worker's keep-result.</summary>
    public async Task RefuseAsync(ClaimedJob claim, JobMessage? job, long tryNumber, JobError error)
    {
        var (args, kwargs) = job is null ? ([], new Dictionary<string, PackedValue>()) : Echoed(job);
        var result = new ResultMessage(tryNumber, job?.Function ?? "<unknown>", args, kwargs, job?.EnqueueTimeMs ?? 0,
            false, PackedValue.From(error.ToString()), store.Now, store.Now, claim.Queue, claim.JobId);
        await store.FinishAsync(claim.JobId, claim.Queue, result, options.KeepResult).ConfigureAwait(false);
        Interlocked.Increment(ref failed);
        RunTelemetry.Failed(claim.Queue, result.Function, error.Type!);
        logger.LogWarning("  0.00s ! {JobId}:{Function} failed, {Error}", claim.JobId, result.Function, error);
    }

    /// <summary>The arguments a failed result repeats: each as the job had it, unless it is not valid data (a string
    /// that is not UTF-8, say), which would make the whole result unreadable to arq and to Get-ArqJob; such an
    /// argument is repeated as a string that says so.</summary>
    private static (IReadOnlyList<PackedValue> Args, IReadOnlyDictionary<string, PackedValue> Kwargs) Echoed(JobMessage job)
    {
        static PackedValue Readable(PackedValue value)
        {
            try
            {
                value.ToObject();
                return value;
            }
            catch (MessagePack.MessagePackSerializationException e)
            {
                return PackedValue.From($"<not valid data: {ArqMessagePack.Reason(e)}>");
            }
        }
        return (job.Args.Select(Readable).ToList(), job.Kwargs.ToDictionary(k => k.Key, k => Readable(k.Value)));
    }
}
