namespace Arq.Worker;

/// <summary>
/// Ends the poll loop's sleep early: when a job is enqueued (Arq clients publish, so an idle worker starts it at once;
/// a lost message costs no more than the poll delay), or when enough slots are free again to make a claim worth a round
/// trip. Many signals during one sleep wake it once.
/// </summary>
internal sealed class WakeSignal(TimeProvider clock)
{
    private readonly SemaphoreSlim signals = new(0);
    private int enqueued;

    /// <summary>A job was enqueued on one of the worker's queues.</summary>
    public void Enqueued()
    {
        Interlocked.Exchange(ref enqueued, 1);
        signals.Release();
    }

    /// <summary>A job ended; the sleeper asks <c>slotsFree</c> whether that is worth waking for.</summary>
    public void JobEnded() => signals.Release();

    /// <summary>Sleeps until <paramref name="delay"/> passes on the clock, a job is enqueued, or
    /// <paramref name="slotsFree"/> says a claim is worth making, whichever is first, or until stopped.</summary>
    public async Task WaitAsync(TimeSpan delay, Func<bool> slotsFree, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(delay, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            while (true)
            {
                await signals.WaitAsync(either.Token).ConfigureAwait(false);
                while (signals.Wait(0)) { } // several signals: one poll serves them all
                if (Interlocked.Exchange(ref enqueued, 0) == 1 || slotsFree()) return;
            }
        }
        catch (OperationCanceledException)
        {
            // The delay passed, or a stop was requested: the loop looks again either way.
        }
    }
}
