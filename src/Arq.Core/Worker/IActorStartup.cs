namespace Arq.Worker;

/// <summary>
/// An actor that prepares itself before the worker claims any job (opens connections, warms caches). The worker
/// creates each actor once, calls this once, reuses the actor for every job, and disposes it at shutdown
/// (<see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>).
/// </summary>
public interface IActorStartup
{
    /// <summary>Called once after the actor is created; a failure stops the worker before it claims a job.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}
