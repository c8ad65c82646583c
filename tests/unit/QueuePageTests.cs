using Arq.Protocol;
using Arq.Worker;

namespace Arq.Tests;

/// <summary>JobQueue.GetPageAsync, the listings a dashboard pages through, and the workers' records.</summary>
public sealed class QueuePageTests : RedisTest
{
    [Fact]
    public async Task Each_listing_pages_from_an_offset_and_counts_its_whole()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        var due = new List<Job>();
        for (var i = 0; i < 30; i++)
            due.Add((await Client.EnqueueAsync("f", [i], null, new EnqueueOptions { DeferUntil = start.AddSeconds(i) }))!);
        for (var i = 0; i < 5; i++) await Client.EnqueueAsync("f", [i], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1 + i) });
        await Redis.StringSetAsync(ArqKeys.InProgress(due[0].Id), "1");
        await Redis.StringSetAsync(ArqKeys.InProgress(due[12].Id), "1");
        var queue = Client.GetQueue();

        var queued = await queue.GetPageAsync(JobListing.Queued, offset: 10, count: 5);
        var running = await queue.GetPageAsync(JobListing.InProgress, offset: 1, count: 5);
        var deferred = await queue.GetPageAsync(JobListing.Deferred, offset: 0, count: 50);

        Assert.Equal((30L, 10L), (queued.Total, queued.Offset));
        Assert.Equal(due.Skip(10).Take(5).Select(j => j.Id), queued.Jobs.Select(j => j.Job.Id));
        Assert.Equal([JobStatus.Queued, JobStatus.Queued, JobStatus.InProgress, JobStatus.Queued, JobStatus.Queued], queued.Jobs.Select(j => j.Status));
        Assert.Equal(12L, queued.Jobs[2].Definition!.Args[0].Deserialize<long>());
        Assert.Equal(2L, running.Total);
        Assert.Equal([due[12].Id], running.Jobs.Select(j => j.Job.Id));
        Assert.Equal(5L, deferred.Total);
        Assert.All(deferred.Jobs, j => Assert.Equal(JobStatus.Deferred, j.Status));
        Assert.Empty((await queue.GetPageAsync(JobListing.Queued, offset: 30)).Jobs);
    }

    [Fact]
    public async Task Finished_jobs_are_listed_newest_first_with_their_results()
    {
        var functions = new FunctionRegistry()
            .Add("ok", (int n) => n * 2)
            .Add("bad", (int n) => n < 0 ? 0 : throw new InvalidOperationException($"no {n}"));
        var ok = await Task.WhenAll(Enumerable.Range(1, 3).Select(n => Client.EnqueueAsync("ok", n)));
        var bad = await Task.WhenAll(Enumerable.Range(1, 2).Select(n => Client.EnqueueAsync("bad", n)));
        await new ArqWorker(Connection, functions, new ArqWorkerOptions { Burst = true, MaxTries = 1 }).RunAsync();
        var queue = Client.GetQueue();

        var complete = await queue.GetPageAsync(JobListing.Complete);
        var failed = await queue.GetPageAsync(JobListing.Failed, count: 1);

        Assert.Equal(3L, complete.Total);
        Assert.Equal(ok.Select(j => j!.Id).Order(), complete.Jobs.Select(j => j.Job.Id).Order());
        Assert.All(complete.Jobs, j => Assert.True(Assert.IsType<JobResult>(j.Definition).Success));
        Assert.Equal(2L, failed.Total);
        var first = Assert.IsType<JobResult>(Assert.Single(failed.Jobs).Definition);
        Assert.False(first.Success);
        Assert.Contains(first.JobId, bad.Select(j => j!.Id));
        Assert.StartsWith("no ", first.Error!.Message);
    }

    [Fact]
    public async Task A_running_worker_keeps_a_record_of_itself_and_deletes_it_when_it_stops()
    {
        var worker = new ArqWorker(Connection, new FunctionRegistry().Add("f", () => 1), new ArqWorkerOptions { Queues = ["high", "low"], MaxJobs = 7 });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);

        await Until(async () => (await Client.GetWorkersAsync()).Any(w => w.Id == worker.Id), "the worker's record");
        var record = Assert.Single(await Client.GetWorkersAsync());
        Assert.Equal((Environment.MachineName, Environment.ProcessId, 7), (record.Host, record.ProcessId, record.MaxJobs));
        Assert.Equal(["high", "low"], record.Queues);
        Assert.InRange(record.Started, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        await stop.CancelAsync();
        await running;
        Assert.Empty(await Client.GetWorkersAsync());
        Assert.False(await Redis.SetContainsAsync(ArqKeys.Workers, worker.Id));
    }

    [Fact]
    public async Task A_record_whose_worker_died_lapses_and_leaves_the_set()
    {
        await Redis.SetAddAsync(ArqKeys.Workers, "gone:1:abc");

        Assert.Empty(await Client.GetWorkersAsync());
        Assert.Equal(0, await Redis.SetLengthAsync(ArqKeys.Workers));
    }
}
