using Arq.Protocol;

namespace Arq;

/// <summary>
/// A handle on one job: its status, what it runs, its result, and a way to abort it. Cheap to create; holds no
/// state beyond the id and queue, so every call reads Redis afresh.
/// </summary>
public sealed class Job
{
    private readonly IJobStore store;
    private readonly TimeProvider clock;

    internal Job(IJobStore store, TimeProvider clock, string id, string queue, JobDefinition? enqueued = null)
    {
        this.store = store;
        this.clock = clock;
        Id = id;
        Queue = queue;
        Enqueued = enqueued;
    }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>The queue the job was enqueued on; status is read from it.</summary>
    public string Queue { get; }

    /// <summary>The job as this client enqueued it; null for a handle from <see cref="IArqClient.GetJob"/>.</summary>
    public JobDefinition? Enqueued { get; }

    /// <summary>Reads the job's status (docs/protocol.md §9), atomically.</summary>
    public Task<JobStatus> GetStatusAsync() => store.GetStatusAsync(Id, Queue);

    /// <summary>What the job runs: its result when finished, else the queued job; null when neither exists.</summary>
    public async Task<JobDefinition?> GetInfoAsync()
    {
        var stored = await store.ReadAsync(Id, Queue, withMessage: true).ConfigureAwait(false);
        var scoreTime = stored.Score is { } score ? UnixTime.FromMilliseconds(score) : (DateTimeOffset?)null;
        if (DecodeResult(stored.Result) is { } finished) return finished with { DueTime = scoreTime };
        return stored.Job is null ? null : JobDefinition.From(Id, Decode(() => JobMessage.Decode(stored.Job)), scoreTime);
    }

    /// <summary>The stored result, or null when the job has not finished or its result was not kept.</summary>
    public async Task<JobResult?> GetResultInfoAsync() => DecodeResult(await store.GetResultAsync(Id, Queue).ConfigureAwait(false));

    /// <summary>What the job wrote to its streams (warnings, verbose, information ...), kept with its result; null when
    /// it wrote nothing, has not finished, or its result was not kept.</summary>
    public async Task<JobStreams?> GetStreamsAsync()
    {
        var bytes = await store.GetStreamsAsync(Id, Queue).ConfigureAwait(false);
        return bytes is null ? null : Decode(() => StreamsMessage.Decode(bytes));
    }

    /// <summary>
    /// Calls <paramref name="onProgress"/> with the progress the job reports while it runs (a PowerShell job's
    /// Write-Progress, a C# job's <see cref="Worker.JobContext.WriteProgress"/>), on a thread of the connection, until
    /// the returned watch is disposed. Workers publish a job's progress only while someone watches it.
    /// </summary>
    public Task<IAsyncDisposable> WatchProgressAsync(Action<JobProgress> onProgress)
    {
        ArgumentNullException.ThrowIfNull(onProgress);
        return store.WatchProgressAsync(Id, onProgress);
    }

    /// <summary>Waits for the job to finish and returns its result, decoded as <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="GetResultAsync(TimeSpan?, TimeSpan?, CancellationToken)"/>
    public async Task<T> GetResultAsync<T>(TimeSpan? timeout = null, TimeSpan? pollDelay = null, CancellationToken cancellationToken = default) =>
        (await GetResultAsync(timeout, pollDelay, cancellationToken).ConfigureAwait(false)).Deserialize<T>();

    /// <summary>Waits for the job to finish and returns its encoded result.</summary>
    /// <param name="timeout">How long to wait; forever when null.</param>
    /// <param name="pollDelay">The longest pause between two reads of Redis (500 ms by default); the first reads come sooner.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="JobFailedException">The job failed; the exception carries the worker's error.</exception>
    /// <exception cref="ResultNotFoundException">The job has no result and is not queued.</exception>
    /// <exception cref="TimeoutException">The job did not finish within <paramref name="timeout"/>.</exception>
    public async Task<PackedValue> GetResultAsync(TimeSpan? timeout = null, TimeSpan? pollDelay = null, CancellationToken cancellationToken = default)
    {
        var finished = await WaitAsync(timeout, pollDelay, cancellationToken).ConfigureAwait(false);
        return finished.Success ? finished.Result : throw new JobFailedException(finished);
    }

    /// <summary>Waits for the job to finish, successfully or not, and returns its result record.</summary>
    /// <inheritdoc cref="GetResultAsync(TimeSpan?, TimeSpan?, CancellationToken)"/>
    public async Task<JobResult> WaitAsync(TimeSpan? timeout = null, TimeSpan? pollDelay = null, CancellationToken cancellationToken = default)
    {
        var started = clock.GetTimestamp();
        var backoff = new PollBackoff(pollDelay);
        while (true)
        {
            var stored = await store.ReadAsync(Id, Queue, withMessage: false).ConfigureAwait(false);
            if (DecodeResult(stored.Result) is { } finished) return finished;
            if (stored.Score is null && !stored.Waiting) throw new ResultNotFoundException(Id, Queue);
            var elapsed = clock.GetElapsedTime(started);
            if (elapsed >= timeout)
                throw new TimeoutException($"Job {Id} did not finish within {timeout}.");
            var pause = backoff.Next();
            if (timeout is { } limit && limit - elapsed < pause) pause = limit - elapsed;
            await Task.Delay(pause, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the workers to abort the job (docs/protocol.md §11), then waits for it to end. A deferred job is made due at
    /// once so that a worker sees the request. Only workers that allow aborts act on it.
    /// </summary>
    /// <param name="timeout">How long to wait for the job to end; forever when null, as arq does.</param>
    /// <param name="cancellationToken">Stops waiting; the abort request stays.</param>
    /// <returns>True when the job ended aborted; false when it finished otherwise or had no result to wait for.</returns>
    public async Task<bool> AbortAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await RequestAbortAsync().ConfigureAwait(false);
        try
        {
            await GetResultAsync(timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (JobFailedException e) when (e.Error.Type == JobErrorTypes.Cancelled)
        {
            return true;
        }
        catch (Exception e) when (e is JobFailedException or ResultNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Asks the workers to abort the job and returns at once (docs/protocol.md §11); see <see cref="AbortAsync"/>.</summary>
    public Task RequestAbortAsync() => store.RequestAbortAsync(Id, Queue);

    /// <summary>Deletes the job if it is not running: its job, retry, result and streams keys and its place in the queue.</summary>
    /// <returns>False when there was nothing to delete.</returns>
    /// <exception cref="InvalidOperationException">The job is running; abort it instead.</exception>
    public async Task<bool> DeleteAsync()
    {
        var removed = await store.DeleteAsync(Id, Queue).ConfigureAwait(false);
        return removed < 0
            ? throw new InvalidOperationException($"Job {Id} is running and cannot be deleted; abort it instead.")
            : removed > 0;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Job {Id} on {Queue}";

    private JobResult? DecodeResult(byte[]? bytes) =>
        bytes is null ? null : JobResult.From(Id, Decode(() => ResultMessage.Decode(bytes)));

    private T Decode<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (ArqProtocolException e)
        {
            throw new ArqProtocolException($"Job {Id}: {e.Message}", e);
        }
    }
}
