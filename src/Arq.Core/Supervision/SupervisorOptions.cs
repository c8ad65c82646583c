namespace Arq.Supervision;

/// <summary>How an <see cref="ExecutorSupervisor"/> keeps its executor alive and stops it.</summary>
internal sealed record SupervisorOptions
{
    /// <summary>How many restarts within <see cref="RestartWindow"/> before the supervisor gives up. A death that
    /// convicted the job that caused it is not counted: the worker is sound, that job is not.</summary>
    public int MaxRestarts { get; init; } = 5;

    /// <summary>The window in which restarts are counted.</summary>
    public TimeSpan RestartWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>An executor that ran this long before it died had been healthy: the restarts before it are forgotten.</summary>
    public TimeSpan HealthyRun { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The pause before the first restart; it doubles with each restart in the window.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After a graceful stop was asked for, how long to wait before killing the executor: the worker's
    /// shutdown delay and a margin for it to hand back its jobs and exit.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
