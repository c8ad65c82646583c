namespace Arq.Worker;

/// <summary>Why a running job was told to stop.</summary>
internal enum StopReason
{
    None,
    Timeout,
    Abort,
    Shutdown,
}

/// <summary>One job while it runs: its claim and its cancellation, with the reason it was cancelled.</summary>
internal sealed class JobRun(ClaimedJob claim, CancellationToken shutdown) : IDisposable
{
    private readonly CancellationTokenSource cancellation = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    private int reason;

    public ClaimedJob Claim { get; } = claim;

    /// <summary>The run's execution, set before it starts.</summary>
    public Task Execution { get; set; } = Task.CompletedTask;

    public CancellationToken Token => cancellation.Token;

    /// <summary>The first reason given; a cancellation that came from the worker's hard stop is a shutdown.</summary>
    public StopReason Reason => (StopReason)reason is StopReason.None && cancellation.IsCancellationRequested
        ? StopReason.Shutdown
        : (StopReason)reason;

    public void Stop(StopReason why)
    {
        if (Interlocked.CompareExchange(ref reason, (int)why, (int)StopReason.None) == (int)StopReason.None)
            cancellation.Cancel();
    }

    public void Dispose() => cancellation.Dispose();
}
