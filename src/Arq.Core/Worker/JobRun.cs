namespace Arq.Worker;

/// <summary>Why a running job was told to stop.</summary>
internal enum StopReason
{
    None,
    Timeout,
    Abort,
    Shutdown,
}

/// <summary>
/// One job while it runs: its claim, its deadline, and its cancellation with the reason for it. The cancellation
/// source has no timer (timeouts are swept), so it holds nothing to dispose, and a late stop can never meet a
/// disposed source.
/// </summary>
internal sealed class JobRun(ClaimedJob claim)
{
    private readonly CancellationTokenSource cancellation = new();
    private int reason;

    /// <summary>When the try times out (a <see cref="System.Diagnostics.Stopwatch"/> timestamp); long.MaxValue until it starts.</summary>
    public long Deadline { get; set; } = long.MaxValue;

    public ClaimedJob Claim { get; } = claim;

    /// <summary>Set just before the try's outcome goes to Redis: from then on, a new claim of the same job is a new
    /// try (a retry), not this one re-claimed because its lease lapsed while Redis was out of reach.</summary>
    public bool Released { get; set; }

    /// <summary>Released with a final outcome (not a retry): a claim that arrives meanwhile is stale, the job is done.</summary>
    public bool Finished { get; set; }

    /// <summary>The run's execution, set before it starts.</summary>
    public Task Execution { get; set; } = Task.CompletedTask;

    public CancellationToken Token => cancellation.Token;

    /// <summary>The first reason given.</summary>
    public StopReason Reason => (StopReason)reason;

    public void Stop(StopReason why)
    {
        if (Interlocked.CompareExchange(ref reason, (int)why, (int)StopReason.None) == (int)StopReason.None)
            cancellation.Cancel();
    }
}
