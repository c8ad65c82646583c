namespace Arq.Testing;

/// <summary>A <see cref="Job"/> handle's calls, answered by an <see cref="InMemoryBroker"/>.</summary>
internal sealed class InMemoryJobStore(InMemoryBroker broker) : IJobStore
{
    public Task<bool> EnqueueAsync(EnqueueRequest request) => Task.FromResult(broker.Enqueue(request));

    public Task<JobStatus> GetStatusAsync(string jobId, string queue) => Task.FromResult(broker.GetStatus(jobId, queue));

    public Task<StoredJob> ReadAsync(string jobId, string queue, bool withMessage) => Task.FromResult(broker.Read(jobId, queue, withMessage));

    public Task<byte[]?> GetResultAsync(string jobId, string queue) => Task.FromResult(broker.ResultBytes(jobId));

    public Task<byte[]?> GetStreamsAsync(string jobId, string queue) => Task.FromResult(broker.StreamBytes(jobId));

    public Task RequestAbortAsync(string jobId, string queue)
    {
        broker.RequestAbort(jobId);
        return Task.CompletedTask;
    }

    public Task<long> DeleteAsync(string jobId, string queue) => Task.FromResult(broker.Delete(jobId, queue));

    /// <summary>The broker relays no progress: a watch that never calls back.</summary>
    public Task<IAsyncDisposable> WatchProgressAsync(string jobId, Action<JobProgress> onProgress) =>
        Task.FromResult<IAsyncDisposable>(NoWatch.Instance);

    private sealed class NoWatch : IAsyncDisposable
    {
        public static readonly NoWatch Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
