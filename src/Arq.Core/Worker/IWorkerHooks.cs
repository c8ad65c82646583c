namespace Arq.Worker;

/// <summary>
/// Code that runs around the worker's life and each job's, like arq's <c>on_startup</c>, <c>on_shutdown</c>,
/// <c>on_job_start</c> and <c>after_job_end</c>. Implement the methods you need (the others do nothing) and register
/// the object with <see cref="FunctionRegistry.AddHooks"/>; an actor that implements this interface is registered
/// with its job functions. Hooks run in the order they were registered, shutdown ones in reverse order.
/// </summary>
public interface IWorkerHooks
{
    /// <summary>After the actors have started, before any job is claimed. A failure stops the worker with the
    /// hook's error.</summary>
    Task OnStartupAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the last job has ended, before the actors are disposed. A failure is logged.</summary>
    Task OnShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Before each try of a job runs. A failure fails the try, as if the function had thrown it.</summary>
    Task BeforeJobAsync(JobContext context) => Task.CompletedTask;

    /// <summary>After each try, once its outcome is stored in Redis. A failure is logged; the outcome stands.</summary>
    Task AfterJobAsync(JobContext context, JobCompletion completion) => Task.CompletedTask;

    /// <summary>When a job fails with no tries left: its last retry failed, or it came back after its last try.
    /// Runs after <see cref="AfterJobAsync"/>; a failure is logged.</summary>
    Task OnTriesExhaustedAsync(JobContext context, JobError error) => Task.CompletedTask;
}
