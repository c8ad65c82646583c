namespace Arq.Hosting;

/// <summary>The exit codes by which an executor tells its supervisor whether to start another.</summary>
public static class ExecutorExitCode
{
    /// <summary>The worker stopped as asked, or a burst ended: nothing to restart.</summary>
    public const int Stopped = 0;

    /// <summary>The actors could not be loaded or started: restarting would fail the same way.</summary>
    public const int Configuration = 3;
}
