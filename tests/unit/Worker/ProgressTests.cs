using System.Collections.Concurrent;
using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Tests.Worker;

/// <summary>A running job's progress, sent live to whoever watches it and to no one else.</summary>
public sealed class ProgressTests : WorkerTest
{
    [Fact]
    public async Task A_watcher_sees_the_progress_while_the_job_runs_and_nothing_is_published_for_a_job_nobody_watches()
    {
        var published = new ConcurrentQueue<string>();
        var observer = Connection.GetSubscriber();
        await observer.SubscribeAsync(RedisChannel.Pattern("arq:progress:*"), (channel, _) => published.Enqueue(channel.ToString()));
        await using var worker = StartWorker();

        var unwatched = (await Client.EnqueueAsync("Calculator.Steps", 5))!;
        await unwatched.GetResultAsync(TimeSpan.FromSeconds(30));
        var watched = (await Client.EnqueueAsync("Calculator.Steps", 10))!;
        var seen = new ConcurrentQueue<(JobProgress Progress, DateTimeOffset At)>();
        await using (await watched.WatchProgressAsync(progress => seen.Enqueue((progress, DateTimeOffset.UtcNow))))
            await watched.GetResultAsync(TimeSpan.FromSeconds(30));
        var finished = (await watched.GetResultInfoAsync())!.FinishTime;
        await observer.UnsubscribeAllAsync();

        Assert.DoesNotContain(ArqKeys.ProgressChannel(unwatched.Id).ToString(), published);
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal("Counting", s.Progress.Activity));
        Assert.True(seen.First().At < finished, "the first progress arrived before the job finished");
        var percents = seen.Select(s => s.Progress.PercentComplete).ToList();
        Assert.Equal(percents.Order(), percents);
    }

    [Fact]
    public void Progress_survives_its_message_and_a_stray_publish_is_ignored()
    {
        var progress = new JobProgress("Copying", "3 of 7") { ActivityId = 2, ParentActivityId = 1, PercentComplete = 42, SecondsRemaining = 9, CurrentOperation = "a.txt", Completed = true };

        Assert.Equal(progress, ProgressMessage.TryDecode(ProgressMessage.Encode(progress)));
        Assert.Null(ProgressMessage.TryDecode("hello"u8.ToArray()));
    }
}
