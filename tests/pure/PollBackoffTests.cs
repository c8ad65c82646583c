namespace Arq.Tests;

/// <summary>The pauses of a wait for jobs: short first, doubling to the ceiling.</summary>
public sealed class PollBackoffTests
{
    [Fact]
    public void The_pauses_start_short_and_double_up_to_the_longest()
    {
        var backoff = new PollBackoff(TimeSpan.FromMilliseconds(30));
        var shortCeiling = new PollBackoff(TimeSpan.FromMilliseconds(2));
        var byDefault = new PollBackoff();

        Assert.Equal([5, 10, 20, 30, 30], Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalMilliseconds));
        Assert.Equal([2, 2], Enumerable.Range(0, 2).Select(_ => shortCeiling.Next().TotalMilliseconds));
        Assert.Equal(500, Enumerable.Range(0, 10).Select(_ => byDefault.Next()).ToList()[^1].TotalMilliseconds);
    }
}
