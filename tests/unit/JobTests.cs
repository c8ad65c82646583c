using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Tests;

/// <summary>The Job handle: status (§9), info, results written by Python arq or by a worker, abort (§11).</summary>
public sealed class JobTests : RedisTest
{
    [Fact]
    public async Task Status_follows_the_keys_a_worker_writes()
    {
        var job = (await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        Assert.Equal(JobStatus.Deferred, await job.GetStatusAsync());

        await Redis.SortedSetAddAsync(job.Queue, job.Id, NowMs() - 1);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());

        await Redis.StringSetAsync(ArqKeys.InProgress(job.Id), "1");
        Assert.Equal(JobStatus.InProgress, await job.GetStatusAsync());

        await Redis.StringSetAsync(ArqKeys.Result(job.Id), EnqueueTests.GoldenResult("result_success"));
        Assert.Equal(JobStatus.Complete, await job.GetStatusAsync());

        Assert.Equal(JobStatus.NotFound, await Client.GetJob("nothing-here").GetStatusAsync());
    }

    [Fact]
    public async Task Info_shows_the_queued_job_with_its_score()
    {
        var job = (await Client.EnqueueAsync("greet", ["ann"], new Dictionary<string, object?> { ["loud"] = true }))!;

        var info = await job.GetInfoAsync();

        Assert.NotNull(info);
        Assert.IsNotType<JobResult>(info);
        Assert.Equal("greet", info.Function);
        Assert.Equal("ann", info.Args[0].Deserialize<string>());
        Assert.True(info.Kwargs["loud"].Deserialize<bool>());
        Assert.Equal(info.EnqueueTime, info.DueTime);
        Assert.Null(await Client.GetJob("nothing-here").GetInfoAsync());
    }

    [Fact]
    public async Task A_result_written_by_python_arq_is_read()
    {
        var job = (await Client.EnqueueAsync("add", 1, 2))!;
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), EnqueueTests.GoldenResult("result_success"));

        var info = Assert.IsType<JobResult>(await job.GetInfoAsync());
        var result = await job.GetResultAsync<long>(TimeSpan.FromSeconds(5));

        Assert.True(info.Success);
        Assert.Equal(3, result);
        Assert.Equal("arq:queue", info.Queue);
    }

    [Fact]
    public async Task A_failure_written_by_python_arq_raises_with_its_text()
    {
        var job = (await Client.EnqueueAsync("fail", "kaput"))!;
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), EnqueueTests.GoldenResult("result_failed_exception"));

        var error = await Assert.ThrowsAsync<JobFailedException>(() => job.GetResultAsync(TimeSpan.FromSeconds(5)));

        Assert.Null(error.Error.Type);
        Assert.Equal("unable to serialize result", error.Error.Message);
        Assert.Contains("unable to serialize result", error.Message);
    }

    [Fact]
    public async Task A_failure_with_a_type_raises_with_type_and_message()
    {
        var job = (await Client.EnqueueAsync("fail", "kaput"))!;
        var result = new ResultMessage(1, "fail", [], new Dictionary<string, PackedValue>(), NowMs(), false,
            PackedValue.From("ValueError: kaput: really"), NowMs(), NowMs(), job.Queue, job.Id);
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), result.Encode());

        var error = await Assert.ThrowsAsync<JobFailedException>(() => job.GetResultAsync());

        Assert.Equal(job.Id, error.JobId);
        Assert.Equal("ValueError", error.Error.Type);
        Assert.Equal("kaput: really", error.Error.Message);
    }

    [Fact]
    public async Task Waiting_for_a_job_that_is_nowhere_raises_result_not_found()
    {
        var error = await Assert.ThrowsAsync<ResultNotFoundException>(() => Client.GetJob("ghost").GetResultAsync());

        Assert.Contains("ghost", error.Message);
    }

    [Fact]
    public async Task Waiting_for_a_job_that_never_runs_times_out()
    {
        var job = (await Client.EnqueueAsync("slow"))!;

        await Assert.ThrowsAsync<TimeoutException>(() => job.GetResultAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Waiting_returns_once_the_result_appears()
    {
        var job = (await Client.EnqueueAsync("add", 1, 2))!;
        var waiting = job.GetResultAsync<long>(TimeSpan.FromSeconds(10));
        Assert.False(waiting.IsCompleted);

        await Redis.StringSetAsync(ArqKeys.Result(job.Id), EnqueueTests.GoldenResult("result_success"));

        Assert.Equal(3, await waiting);
    }

    [Fact]
    public async Task Abort_makes_a_deferred_job_due_and_records_the_request()
    {
        var job = (await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var before = NowMs();

        var aborting = job.AbortAsync(TimeSpan.FromSeconds(10));
        await Until(async () => await Redis.SortedSetScoreAsync(ArqKeys.Abort, job.Id) is not null, "the abort is requested");

        Assert.Equal(1, await Redis.SortedSetScoreAsync(job.Queue, job.Id));
        Assert.InRange((long)(await Redis.SortedSetScoreAsync(ArqKeys.Abort, job.Id))!, before, NowMs());

        // What a worker does with the request: fail the job as cancelled.
        var cancelled = new ResultMessage(1, "add", [], new Dictionary<string, PackedValue>(), before, false,
            PackedValue.From(new JobError(JobErrorTypes.Cancelled, "job aborted").ToString()), NowMs(), NowMs(), job.Queue, job.Id);
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), cancelled.Encode());

        Assert.True(await aborting);
    }

    [Fact]
    public async Task Abort_of_a_job_that_finished_normally_returns_false()
    {
        var job = (await Client.EnqueueAsync("add", 1, 2))!;
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), EnqueueTests.GoldenResult("result_success"));

        Assert.False(await job.AbortAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_garbled_result_is_reported_with_the_job_id_and_the_field()
    {
        var job = (await Client.EnqueueAsync("add", 1, 2))!;
        await Redis.StringSetAsync(ArqKeys.Result(job.Id), new byte[] { 0x81, 0xa1, (byte)'f', 0x01 });

        var error = await Assert.ThrowsAsync<ArqProtocolException>(() => job.GetResultInfoAsync());

        Assert.Contains(job.Id, error.Message);
        Assert.Contains("'f' must be a string", error.Message);
    }
}
