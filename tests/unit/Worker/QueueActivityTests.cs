using Arq.Protocol;

namespace Arq.Tests.Worker;

/// <summary>The completed and failed counts workers keep per queue, and the rates a watch makes of them.</summary>
public sealed class QueueActivityTests : WorkerTest
{
    [Fact]
    public async Task A_watch_reports_the_rates_of_completed_and_failed_jobs_between_looks()
    {
        for (var i = 0; i < 4; i++) await Client.EnqueueAsync("Calculator.Add", i, 1);
        await Client.EnqueueAsync("Calculator.Fail", "on purpose");
        using var stop = new CancellationTokenSource();
        var looks = new List<IReadOnlyList<QueueActivity>>();

        await foreach (var look in Client.WatchQueuesAsync([ArqKeys.DefaultQueue], TimeSpan.FromMilliseconds(50), stop.Token))
        {
            looks.Add(look);
            if (looks.Count == 1) await RunBurstAsync(); // between the first look and the second
            if (looks.Count == 2) await stop.CancelAsync();
        }

        var (first, second) = (Assert.Single(looks[0]), Assert.Single(looks[1]));
        Assert.Equal((5L, 0L, 0L), (first.Info.Queued, first.Info.Complete, first.Info.Failed));
        Assert.Equal((0d, 0d), (first.CompletePerSecond, first.FailedPerSecond));
        Assert.Equal((0L, 4L, 1L), (second.Info.Queued, second.Info.Complete, second.Info.Failed));
        Assert.True(second.CompletePerSecond > 0 && second.FailedPerSecond > 0, $"{second}");
        Assert.Equal(4.0, second.CompletePerSecond / second.FailedPerSecond, 3);
    }
}
