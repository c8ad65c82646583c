using Arq.Protocol;

namespace Arq.Tests;

/// <summary>JobQueue: counts, listing and clearing; Job deletion; queue discovery; health-check parsing.</summary>
public sealed class QueueTests : RedisTest
{
    [Fact]
    public async Task Info_counts_queued_deferred_and_running_jobs_and_reads_the_health_check()
    {
        await Client.EnqueueAsync("f", [1], null, new EnqueueOptions { DeferUntil = DateTimeOffset.UtcNow.AddMinutes(-5) });
        await Client.EnqueueAsync("f", 2);
        var running = (await Client.EnqueueAsync("f", [3], null, new EnqueueOptions { DeferUntil = DateTimeOffset.UtcNow.AddMinutes(-10) }))!;
        await Client.EnqueueAsync("f", [4], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) });
        await Redis.StringSetAsync(ArqKeys.InProgress(running.Id), "1");
        await Redis.StringSetAsync(ArqKeys.HealthCheck(ArqKeys.DefaultQueue), "Nov-29 11:30:10 j_complete=7 j_failed=1 j_retried=2 j_ongoing=1 queued=4");

        var info = await Client.GetQueue().GetInfoAsync();

        Assert.Equal((ArqKeys.DefaultQueue, 2L, 1L, 1L), (info.Name, info.Queued, info.Deferred, info.InProgress));
        // The running job is due longer, but the oldest job waiting is the one due five minutes ago.
        Assert.InRange(info.OldestDueAge!.Value, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));
        Assert.Equal(new WorkerHealth("Nov-29 11:30:10 j_complete=7 j_failed=1 j_retried=2 j_ongoing=1 queued=4", "Nov-29 11:30:10", 7, 1, 2, 1, 4), info.Health);
    }

    [Fact]
    public async Task A_poisoned_queue_still_lists_and_counts_every_job()
    {
        // What anyone who can write to Redis may leave: bytes that are no job, a score of -inf, a health-check line
        // whose counts overflow a long.
        var good = (await Client.EnqueueAsync("f", 1))!;
        await Redis.StringSetAsync(ArqKeys.Job("garbage"), new byte[] { 0xc1, 0x17 });
        await Redis.ExecuteAsync("ZADD", ArqKeys.DefaultQueue, "-inf", "garbage");
        await Redis.StringSetAsync(ArqKeys.HealthCheck(ArqKeys.DefaultQueue), "Nov-29 11:30:10 j_complete=99999999999999999999999 j_failed=1 j_retried=2 j_ongoing=1 queued=4");

        var jobs = await Client.GetQueue().GetJobsAsync();
        var info = await Client.GetQueue().GetInfoAsync();

        Assert.Equal(["garbage", good.Id], jobs.Select(j => j.Job.Id));
        Assert.Null(jobs[0].Definition);
        Assert.StartsWith("Not a valid arq job", jobs[0].Problem);
        Assert.Equal("f", jobs[1].Definition!.Function);
        Assert.Null(jobs[1].Problem);
        Assert.Equal((2L, 0L), (info.Queued, info.Deferred));
        Assert.Null(info.Health);
    }

    [Fact]
    public async Task An_empty_queue_has_no_oldest_job_and_no_health()
    {
        var info = await Client.GetQueue("nothing").GetInfoAsync();

        Assert.Equal(new QueueInfo("nothing", 0, 0, 0, null, null), info);
    }

    [Fact]
    public async Task Jobs_are_listed_in_score_order_with_status_and_definition()
    {
        var later = (await Client.EnqueueAsync("later", [1], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var now = (await Client.EnqueueAsync("now", "x"))!;
        await Redis.SortedSetAddAsync(ArqKeys.DefaultQueue, "expired", 1000);

        var jobs = await Client.GetQueue().GetJobsAsync();

        Assert.Equal(["expired", now.Id, later.Id], jobs.Select(j => j.Job.Id));
        Assert.Null(jobs[0].Definition);
        Assert.Equal((JobStatus.Queued, "now"), (jobs[1].Status, jobs[1].Definition!.Function));
        Assert.Equal("x", jobs[1].Definition!.Args[0].Deserialize<string>());
        Assert.Equal(JobStatus.Deferred, jobs[2].Status);
        Assert.Single(await Client.GetQueue().GetJobsAsync(limit: 1));
    }

    [Fact]
    public async Task Clear_removes_every_job_that_is_not_running()
    {
        var jobs = new List<Job>();
        for (var i = 0; i < 2500; i++) jobs.Add((await Client.EnqueueAsync("f", i))!);
        await Redis.StringSetAsync(ArqKeys.InProgress(jobs[1].Id), "1");

        var removed = await Client.GetQueue().ClearAsync();

        Assert.Equal(2499, removed);
        Assert.Equal(1, await Redis.SortedSetLengthAsync(ArqKeys.DefaultQueue));
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Job(jobs[0].Id)));
        Assert.True(await Redis.KeyExistsAsync(ArqKeys.Job(jobs[1].Id)));
    }

    [Fact]
    public async Task Delete_removes_a_finished_job_s_result_and_streams()
    {
        var job = (await Client.EnqueueAsync("f", 1))!;
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), "result");
        await Redis.StringSetAsync(ArqKeys.Streams(job.Id), "streams");

        Assert.True(await job.DeleteAsync());

        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Result(job.Id)));
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Streams(job.Id)));
        Assert.Null(await job.GetStreamsAsync());
    }

    [Fact]
    public async Task Delete_removes_a_waiting_job_and_refuses_a_running_one()
    {
        var waiting = (await Client.EnqueueAsync("f", 1))!;
        var running = (await Client.EnqueueAsync("f", 2))!;
        await Redis.StringSetAsync(ArqKeys.InProgress(running.Id), "1");

        Assert.True(await waiting.DeleteAsync());
        Assert.False(await waiting.DeleteAsync());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => running.DeleteAsync());

        Assert.Contains("abort it instead", error.Message);
        Assert.Equal(JobStatus.NotFound, await waiting.GetStatusAsync());
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Job(waiting.Id)));
        Assert.Equal(JobStatus.InProgress, await running.GetStatusAsync());
    }

    [Fact]
    public async Task Queues_are_found_by_scanning_sorted_sets()
    {
        await Client.EnqueueAsync("f", [1], null, new EnqueueOptions { Queue = "emails" });
        await Client.EnqueueAsync("f", 1);
        await Redis.SortedSetAddAsync(ArqKeys.Abort, "x", 1);

        Assert.Equal(["arq:queue", "emails"], await Client.FindQueuesAsync());
    }

    [Fact]
    public async Task An_enqueued_job_knows_what_it_enqueued_and_waiting_returns_a_failure_without_throwing()
    {
        var job = (await Client.EnqueueAsync("fail", "kaput"))!;
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), EnqueueTests.GoldenResult("result_failed_exception"));

        var result = await job.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("fail", job.Enqueued!.Function);
        Assert.Equal(job.Enqueued.EnqueueTime, job.Enqueued.DueTime);
        Assert.Null(Client.GetJob(job.Id).Enqueued);
        Assert.False(result.Success);
        Assert.Equal("unable to serialize result", result.Error!.Message);
    }

    [Fact]
    public async Task Requesting_an_abort_returns_at_once()
    {
        var job = (await Client.EnqueueAsync("f", 1))!;

        await job.RequestAbortAsync();

        Assert.NotNull(await Redis.SortedSetScoreAsync(ArqKeys.Abort, job.Id));
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("Nov-29 11:30:10 j_complete=x j_failed=0 j_retried=0 j_ongoing=0 queued=0")]
    public void A_line_not_in_arq_format_is_not_a_health_check(string line) => Assert.Null(WorkerHealth.Parse(line));
}
