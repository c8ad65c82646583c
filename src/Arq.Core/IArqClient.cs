namespace Arq;

/// <summary>
/// What application code needs to enqueue jobs and follow them. <see cref="ArqClient"/> implements it on Redis and
/// Arq.Testing's <c>ArqTestHarness</c> in memory, so a service that takes an <see cref="IArqClient"/> is tested
/// without Redis (or with a mock). The shorthand overloads (arguments as a list, an actor's method as an expression)
/// are extension methods, in <see cref="ArqClientExtensions"/>, and work on any implementation.
/// </summary>
public interface IArqClient
{
    /// <summary>The client's settings: default queue, expiry and clock.</summary>
    ArqClientOptions Options { get; }

    /// <summary>Enqueues <paramref name="function"/> with positional and named arguments.</summary>
    /// <returns>The job, or null when a job with the same id is still queued or has a kept result (a duplicate).</returns>
    /// <exception cref="ArgumentException">An argument cannot be encoded, or the options contradict each other.</exception>
    Task<Job?> EnqueueAsync(string function, object?[]? args, IReadOnlyDictionary<string, object?>? kwargs,
        EnqueueOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Enqueues many jobs at once: every argument is encoded first, so a bad one fails the batch before
    /// anything is sent.</summary>
    /// <returns>A job per request, in order; null where the id was a duplicate.</returns>
    /// <exception cref="ArgumentException">A request's arguments cannot be encoded or its options contradict each other.</exception>
    Task<IReadOnlyList<Job?>> EnqueueManyAsync(IEnumerable<JobRequest> jobs, CancellationToken cancellationToken = default);

    /// <summary>A handle on the job <paramref name="jobId"/> in <paramref name="queue"/> (default queue when null).</summary>
    Job GetJob(string jobId, string? queue = null);
}
