using Arq.Protocol;

namespace Arq;

/// <summary>
/// Where a client's jobs live, as <see cref="Job"/> reads and changes them: Redis (<see cref="RedisJobStore"/>), or
/// the in-memory broker of Arq.Testing, so that a <see cref="Job"/> handle works the same in a test without Redis.
/// Values are the encoded messages; decoding and waiting stay in <see cref="Job"/>.
/// </summary>
internal interface IJobStore
{
    /// <summary>Enqueues the job unless one with its id exists; false for a duplicate.</summary>
    Task<bool> EnqueueAsync(EnqueueRequest request);

    /// <summary>The job's status by docs/protocol.md §9, read atomically.</summary>
    Task<JobStatus> GetStatusAsync(string jobId, string queue);

    /// <summary>The job's result, its score and, with <paramref name="withMessage"/>, its queued message, read together
    /// (a job that finishes meanwhile is seen either queued or finished, never neither).</summary>
    Task<StoredJob> ReadAsync(string jobId, string queue, bool withMessage);

    /// <summary>The job's encoded result, or null.</summary>
    Task<byte[]?> GetResultAsync(string jobId, string queue);

    /// <summary>The job's encoded streams, or null.</summary>
    Task<byte[]?> GetStreamsAsync(string jobId, string queue);

    /// <summary>Asks the workers to abort the job (docs/protocol.md §11).</summary>
    Task RequestAbortAsync(string jobId, string queue);

    /// <summary>Deletes the job and its keys unless it runs: 1 deleted, 0 nothing to delete, -1 running.</summary>
    Task<long> DeleteAsync(string jobId, string queue);

    /// <summary>Calls <paramref name="onProgress"/> with the job's progress until the watch is disposed.</summary>
    Task<IAsyncDisposable> WatchProgressAsync(string jobId, Action<JobProgress> onProgress);
}

/// <summary>What a store holds of one job: its encoded result and message (either may be null) and its score in
/// the queue, if it is there.</summary>
internal readonly record struct StoredJob(byte[]? Result, byte[]? Job, long? Score, bool Waiting = false);
