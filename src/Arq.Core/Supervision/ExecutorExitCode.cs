namespace Arq.Supervision;

/// <summary>The exit codes by which an executor tells its supervisor whether to start another. The supervisor
/// believes them only with the event that goes with them (stopped, fatal): a job may end the process with any code.</summary>
internal static class ExecutorExitCode
{
    /// <summary>The worker stopped as asked, or a burst ended: nothing to restart.</summary>
    public const int Stopped = 0;

    /// <summary>The actors could not be loaded or started: restarting would fail the same way.</summary>
    public const int Configuration = 3;
}
