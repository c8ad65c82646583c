namespace Arq;

/// <summary>
/// The pauses between reads of Redis while waiting for jobs to finish: short at first, since most jobs finish fast,
/// then doubling up to a ceiling, so that a long wait costs Redis little. Job.WaitAsync and Wait-ArqJob both wait so.
/// </summary>
internal sealed class PollBackoff
{
    /// <summary>The first pause.</summary>
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest pause unless told otherwise.</summary>
    public static readonly TimeSpan DefaultLongest = TimeSpan.FromMilliseconds(500);

    private readonly TimeSpan longest;
    private TimeSpan next;

    /// <summary>Pauses that grow up to <paramref name="longest"/> (<see cref="DefaultLongest"/> when null).</summary>
    public PollBackoff(TimeSpan? longest = null)
    {
        this.longest = longest ?? DefaultLongest;
        next = First < this.longest ? First : this.longest;
    }

    /// <summary>The pause to take now; the one after is twice as long, up to the longest.</summary>
    public TimeSpan Next()
    {
        var pause = next;
        next = TimeSpan.FromTicks(Math.Min(next.Ticks * 2, longest.Ticks));
        return pause;
    }
}
