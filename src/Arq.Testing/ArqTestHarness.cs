using System.Runtime.ExceptionServices;
using Arq.Worker;

namespace Arq.Testing;

/// <summary>
/// Runs jobs in a test without Redis: the real worker (binding, codec, retries, timeouts, hooks) against an
/// <see cref="InMemoryBroker"/>. Python arq 0.26 has no such helper (its tests run a burst worker on a real Redis);
/// this is Arq's own, for unit tests of job functions. It is also an <see cref="IArqClient"/>: give it to the code under
/// test where it takes a client, and the jobs that code enqueues run in <see cref="RunAsync"/>.
/// <code>
/// var harness = new ArqTestHarness(new FunctionRegistry().AddActor&lt;Downloader&gt;()) { RaiseExceptions = true };
/// var id = harness.Enqueue("Downloader.DownloadContent", "https://example.com");
/// await harness.RunAsync();
/// Assert.Equal(1256, harness.GetResult&lt;int&gt;(id));
/// </code>
/// </summary>
public sealed class ArqTestHarness : IArqClient
{
    private readonly FunctionRegistry functions;
    private readonly InMemoryJobStore store;

    /// <summary>A harness for <paramref name="functions"/>; <paramref name="options"/> are the worker's (the clock
    /// in them is the broker's too).</summary>
    public ArqTestHarness(FunctionRegistry functions, ArqWorkerOptions? options = null)
    {
        this.functions = functions ?? throw new ArgumentNullException(nameof(functions));
        Options = (options ?? new ArqWorkerOptions()) with { Burst = true };
        Broker = new InMemoryBroker(Options.Clock);
        store = new InMemoryJobStore(Broker);
    }

    /// <summary>The worker settings each run uses (always a burst).</summary>
    public ArqWorkerOptions Options { get; }

    /// <summary>The queues, jobs and results.</summary>
    public InMemoryBroker Broker { get; }

    /// <summary>The original's "raise worker": a job's exception reaches the test, thrown by <see cref="RunAsync"/>
    /// once the due jobs have run (the job is also recorded as failed, as a worker would).</summary>
    public bool RaiseExceptions { get; init; }

    /// <summary>The enqueue settings: the broker's (its clock is the worker's).</summary>
    ArqClientOptions IArqClient.Options => Broker.ClientOptions;

    /// <inheritdoc/>
    public async Task<Job?> EnqueueAsync(string function, object?[]? args, IReadOnlyDictionary<string, object?>? kwargs,
        EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        (await EnqueueManyAsync([new JobRequest(function, args, kwargs, options)], cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Job?>> EnqueueManyAsync(IEnumerable<JobRequest> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var requests = jobs.Select(job => EnqueueRequest.Create(Broker.ClientOptions, job)).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        var enqueued = new List<Job?>(requests.Count);
        foreach (var request in requests)
            enqueued.Add(await store.EnqueueAsync(request).ConfigureAwait(false) ? request.ToJob(store, Broker.ClientOptions.Clock) : null);
        return enqueued;
    }

    /// <inheritdoc/>
    public Job GetJob(string jobId, string? queue = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return new Job(store, Broker.ClientOptions.Clock, jobId, queue ?? Broker.ClientOptions.DefaultQueue);
    }

    /// <summary>Enqueues <paramref name="function"/> with positional arguments; returns the job id.</summary>
    public string Enqueue(string function, params object?[] args) =>
        Broker.Enqueue(function, args) ?? throw new InvalidOperationException("A job with that id exists.");

    /// <summary>Runs every job that is due, including retries that fall due meanwhile, until none is; deferred jobs
    /// wait for the clock (<see cref="ArqWorkerOptions.Clock"/>). Returns the counts.</summary>
    /// <exception cref="Exception">With <see cref="RaiseExceptions"/>, the first exception a job threw.</exception>
    public async Task<WorkerSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var thrown = new List<Exception>();
        var worker = new ArqWorker(functions, Options, null, options => new InMemoryWorkerStore(Broker, options) { EndBurstWhenNothingIsDue = true })
        {
            OnJobException = RaiseExceptions ? e => { lock (thrown) thrown.Add(e); } : null,
        };
        var summary = await worker.RunAsync(cancellationToken).ConfigureAwait(false);
        if (thrown.Count > 0) ExceptionDispatchInfo.Throw(thrown[0]);
        return summary;
    }

    /// <summary>The job's status.</summary>
    public JobStatus GetStatus(string jobId) => Broker.GetStatus(jobId);

    /// <summary>The job's result decoded as <typeparamref name="T"/>.</summary>
    /// <exception cref="JobFailedException">The job failed.</exception>
    /// <exception cref="InvalidOperationException">The job has no result: it has not run, or its result is not kept.</exception>
    public T GetResult<T>(string jobId)
    {
        var result = Broker.GetResult(jobId)
            ?? throw new InvalidOperationException($"Job {jobId} has no result; its status is {Broker.GetStatus(jobId)}.");
        return result.Success ? result.Result.Deserialize<T>() : throw new JobFailedException(result);
    }
}
