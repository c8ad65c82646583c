using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>A paused queue: workers claim none of its jobs from their next poll on, the jobs they run finish,
/// enqueueing goes on, and the pause outlives the worker until the queue is resumed.</summary>
public sealed class PauseTests : RedisTest
{
    private static readonly ArqWorkerOptions Fast = new() { PollDelay = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task A_paused_queue_keeps_its_jobs_from_workers_until_resumed_across_a_worker_restart()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new System.Collections.Concurrent.ConcurrentBag<long>();
        FunctionRegistry Functions() => new FunctionRegistry()
            .Add("slow", async () => { started.TrySetResult(); await release.Task; return 1; })
            .Add("note", (long n) => ran.Add(n));
        var queue = Client.GetQueue();
        var slow = (await Client.EnqueueAsync("slow"))!;
        var first = new ArqWorker(Connection, Functions(), Fast);
        using var stopFirst = new CancellationTokenSource();
        var firstRun = first.RunAsync(stopFirst.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await queue.PauseAsync());
        Assert.False(await queue.PauseAsync()); // paused already
        var waiting = (await Client.EnqueueAsync("note", 1))!; // enqueueing goes on
        await TwoPollsAsync(first);
        Assert.Equal(JobStatus.Queued, await waiting.GetStatusAsync());
        release.SetResult(); // the running job finishes
        Assert.Equal(1L, await slow.GetResultAsync<long>(TimeSpan.FromSeconds(30)));
        await stopFirst.CancelAsync();
        await firstRun;

        var second = new ArqWorker(Connection, Functions(), Fast);
        using var stopSecond = new CancellationTokenSource();
        var secondRun = second.RunAsync(stopSecond.Token);
        await TwoPollsAsync(second);
        var info = await queue.GetInfoAsync();
        Assert.True(info.Paused);
        Assert.Equal(1, info.Queued);
        Assert.Empty(ran);

        Assert.True(await queue.ResumeAsync());
        Assert.False(await queue.ResumeAsync()); // not paused any more
        Assert.True((await waiting.WaitAsync(TimeSpan.FromSeconds(30))).Success);
        Assert.False((await queue.GetInfoAsync()).Paused);
        await stopSecond.CancelAsync();
        await secondRun;
        Assert.Equal([1L], ran);
    }

    [Fact]
    public async Task A_burst_worker_whose_queues_are_paused_ends_and_leaves_their_jobs()
    {
        var job = (await Client.EnqueueAsync("f", 1))!;
        await Client.GetQueue().PauseAsync();

        var summary = await new ArqWorker(Connection, new FunctionRegistry().Add("f", (long n) => n), Fast with { Burst = true })
            .RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, summary.Complete);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
    }

    /// <summary>Waits for two polls of the worker after now: one may have read the queue before the change.</summary>
    private static async Task TwoPollsAsync(ArqWorker worker)
    {
        var now = DateTimeOffset.UtcNow;
        await Eventually.Until(() => worker.LastPoll > now, "a poll after the change");
        var next = worker.LastPoll!.Value;
        await Eventually.Until(() => worker.LastPoll > next, "a second poll");
    }
}
