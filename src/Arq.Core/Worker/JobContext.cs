using Arq.Protocol;

namespace Arq.Worker;

/// <summary>What a job function can know about the job it runs; declare a parameter of this type to receive it.</summary>
public sealed class JobContext
{
    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The registered function name.</summary>
    public required string Function { get; init; }

    /// <summary>The try number, 1 for the first try.</summary>
    public required long Try { get; init; }

    /// <summary>When the job was enqueued.</summary>
    public required DateTimeOffset EnqueueTime { get; init; }

    /// <summary>The queue the job came from.</summary>
    public required string Queue { get; init; }

    /// <summary>When the job was due (arq calls it the score).</summary>
    public required DateTimeOffset DueTime { get; init; }

    /// <summary>Positional arguments as sent.</summary>
    public required IReadOnlyList<PackedValue> Args { get; init; }

    /// <summary>Keyword arguments as sent.</summary>
    public required IReadOnlyDictionary<string, PackedValue> Kwargs { get; init; }

    /// <summary>For a continuation (<see cref="EnqueueOptions.After"/>), the results of the jobs it ran after, in the
    /// order they were named, those still kept (a result expires, or is not kept, by its own function's settings);
    /// empty for any other job.</summary>
    public IReadOnlyList<JobResult> Parents { get; init; } = [];

    /// <summary>The job's own services, when the worker runs in a host (<c>AddArqWorker</c>): a scope made for this
    /// job, so a scoped service (a database context, a unit of work) is the job's alone and is disposed when the job
    /// and its hooks are done. Null for a worker with no <see cref="ArqWorkerOptions.Services"/>.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Signalled when the job times out, is aborted, or the worker stops.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>How much of the job's streams is kept (the worker's <see cref="ArqWorkerOptions.MaxStreamBytes"/>).</summary>
    internal int MaxStreamBytes { get; init; } = new ArqWorkerOptions().MaxStreamBytes;

    /// <summary>The clock that stamps stream records.</summary>
    internal TimeProvider Clock { get; init; } = TimeProvider.System;

    private JobStreamWriter? streams;

    /// <summary>Writes a record to one of the job's streams: the worker keeps them with the job's result, and
    /// Receive-ArqJob replays them to the caller's streams (see <see cref="JobStreams"/>).</summary>
    public void WriteStream(JobStream stream, string message) =>
        WriteStream(new JobStreamRecord(stream, message ?? "", Clock.GetUtcNow()));

    /// <summary>Writes a record, with tags or an error's details, to one of the job's streams.</summary>
    public void WriteStream(JobStreamRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (MaxStreamBytes == 0) return;
        if (streams is null) Interlocked.CompareExchange(ref streams, new JobStreamWriter(MaxStreamBytes), null);
        streams!.Add(record);
    }

    /// <summary>Where the job's progress goes: the worker's relay to its watchers.</summary>
    internal ProgressRelay? ProgressRelay { get; init; }

    /// <summary>Reports how far the job has got, to whoever waits on it now (Wait-ArqJob, <see cref="Job.WatchProgressAsync"/>);
    /// nothing is sent while nobody watches, and progress is not kept.</summary>
    public void WriteProgress(JobProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ProgressRelay?.Report(JobId, progress);
    }

    /// <summary>What the job has written to its streams so far (kept, or counted past the limit); null when nothing.</summary>
    public JobStreams? Streams => streams?.Snapshot(); // the writer exists once a record was written
}
