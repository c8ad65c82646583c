using Arq.Protocol;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>Each outcome of docs/protocol.md §5–§8 and §13, checked in the raw keys the worker leaves.</summary>
public class WorkerOutcomeTests : WorkerTest
{
    [Fact]
    public void The_calculators_functions_run_on_the_path_under_test()
    {
        Assert.NotEmpty(Functions.Names);
        Assert.All(Functions.Names, name =>
            Assert.Equal(GeneratedCalls, Functions.TryGet(name, out var function) && ((MethodJobFunction)function).IsGenerated));
    }

    [Fact]
    public async Task A_successful_job_leaves_only_its_result_for_an_hour()
    {
        var job = (await Client.EnqueueAsync("Calculator.Add", 1, 2))!;

        var summary = await RunBurstAsync();

        var result = await StoredResultAsync(job.Id);
        Assert.True(result.Success);
        Assert.Equal(3, result.Result.Deserialize<long>());
        Assert.Equal(1, result.Try);
        Assert.Equal("Calculator.Add", result.Function);
        Assert.Equal([1L, 2L], result.Args.Select(a => a.Deserialize<long>()));
        Assert.Equal(ArqKeys.DefaultQueue, result.Queue);
        Assert.Equal(job.Id, result.JobId);
        Assert.InRange(result.FinishTimeMs - result.StartTimeMs, 0, 5000);
        Assert.InRange(await PttlAsync(ArqKeys.Result(job.Id)), 3_590_000, 3_600_000);
        await AssertJobKeysGoneAsync(job.Id);
        Assert.Equal(1, summary.Complete);
        Assert.Equal(3, await job.GetResultAsync<long>());
    }

    [Fact]
    public async Task Named_arguments_records_lists_and_defaults_bind_to_parameters()
    {
        var greet = (await Client.EnqueueAsync("Calculator.Greet", ["ann"], new Dictionary<string, object?> { ["loud"] = true }))!;
        var plain = (await Client.EnqueueAsync("Calculator.Greet", "bob"))!;
        var weigh = (await Client.EnqueueAsync("Calculator.Weigh", new Calculator.Parcel("books", 3)))!;
        var sum = (await Client.EnqueueAsync("Calculator.Sum", [new[] { 1.5, 2 }], new Dictionary<string, object?> { ["extra"] = new Dictionary<string, int> { ["x"] = 4 } }))!;

        await RunBurstAsync();

        Assert.Equal("HELLO ANN!", await greet.GetResultAsync<string>());
        Assert.Equal("hello bob", await plain.GetResultAsync<string>());
        Assert.Equal(new Calculator.Parcel("books", 6), await weigh.GetResultAsync<Calculator.Parcel>());
        Assert.Equal(7.5, await sum.GetResultAsync<double>());
    }

    [Fact]
    public async Task A_typed_call_enqueues_the_actor_method_by_name()
    {
        var name = "ann";
        var job = (await Client.EnqueueAsync<Calculator>(c => c.Greet(name, true)))!;
        var sleep = (await Client.EnqueueAsync<Calculator>(c => c.Sleep(0.01, CancellationToken.None)))!;

        await RunBurstAsync();

        Assert.Equal("Calculator.Greet", (await job.GetInfoAsync())!.Function);
        Assert.Equal("HELLO ANN!", await job.GetResultAsync<string>());
        Assert.Equal(["Calculator.Sleep"], [(await sleep.GetInfoAsync())!.Function]);
        Assert.Single((await sleep.GetInfoAsync())!.Args);
    }

    [Fact]
    public async Task A_failing_job_records_the_error_type_and_message()
    {
        var job = (await Client.EnqueueAsync("Calculator.Fail", "kaput"))!;

        var summary = await RunBurstAsync();

        var result = await StoredResultAsync(job.Id);
        Assert.False(result.Success);
        Assert.Equal("InvalidOperationException: kaput", result.Result.Deserialize<string>());
        await AssertJobKeysGoneAsync(job.Id);
        var error = await Assert.ThrowsAsync<JobFailedException>(() => job.GetResultAsync());
        Assert.Equal("InvalidOperationException", error.Error.Type);
        Assert.Equal("kaput", error.Error.Message);
        Assert.Equal(1, summary.Failed);
    }

    [Fact]
    public async Task An_unknown_function_fails_at_once_and_the_worker_goes_on()
    {
        var unknown = (await Client.EnqueueAsync("Nobody.Home", 1))!;
        var known = (await Client.EnqueueAsync("Calculator.Add", 1, 1))!;

        await RunBurstAsync();

        var result = await StoredResultAsync(unknown.Id);
        Assert.Equal("FunctionNotFound: function 'Nobody.Home' not found", result.Result.Deserialize<string>());
        Assert.Equal(1, result.Try);
        Assert.Equal("Nobody.Home", result.Function);
        await AssertJobKeysGoneAsync(unknown.Id);
        Assert.Equal(2, await known.GetResultAsync<long>());
    }

    [Fact]
    public async Task Arguments_that_do_not_bind_name_the_parameter_and_its_type()
    {
        var wrongType = (await Client.EnqueueAsync("Calculator.Add", "one", 2))!;
        var missing = (await Client.EnqueueAsync("Calculator.Add", 1))!;
        var unknownName = (await Client.EnqueueAsync("Calculator.Add", [1, 2], new Dictionary<string, object?> { ["c"] = 3 }))!;

        await RunBurstAsync();

        Assert.Contains("the argument 'a' expects Int64", (await Assert.ThrowsAsync<JobFailedException>(() => wrongType.GetResultAsync())).Message);
        Assert.Contains("missing the argument 'b' (Int64)", (await Assert.ThrowsAsync<JobFailedException>(() => missing.GetResultAsync())).Message);
        var error = await Assert.ThrowsAsync<JobFailedException>(() => unknownName.GetResultAsync());
        Assert.Equal(JobErrorTypes.ArgumentBinding, error.Error.Type);
        Assert.Contains("no parameter named 'c'", error.Error.Message);
    }

    [Fact]
    public async Task A_job_that_runs_too_long_fails_with_a_timeout_and_is_not_retried()
    {
        var job = (await Client.EnqueueAsync("Calculator.Sleep", 30.0))!;

        var summary = await RunBurstAsync();

        var error = await Assert.ThrowsAsync<JobFailedException>(() => job.GetResultAsync());
        Assert.Equal("TimeoutError", error.Error.Type);
        Assert.Equal("job timed out after 0.3s", error.Error.Message);
        Assert.Equal(1, summary.TimedOut);
        Assert.Equal(0, summary.Retried);
        await AssertJobKeysGoneAsync(job.Id);
    }

    [Fact]
    public async Task A_worker_timeout_applies_to_functions_without_their_own()
    {
        Functions.Add("wait", (CancellationToken token) => Task.Delay(TimeSpan.FromSeconds(30), token));
        var job = (await Client.EnqueueAsync("wait"))!;

        await RunBurstAsync(Fast with { JobTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal("TimeoutError", (await Assert.ThrowsAsync<JobFailedException>(() => job.GetResultAsync())).Error.Type);
    }

    [Fact]
    public async Task Retry_without_a_delay_runs_again_at_once_and_counts_tries()
    {
        var job = (await Client.EnqueueAsync("Calculator.RetryUntil", 3))!;

        var summary = await RunBurstAsync();

        var result = await StoredResultAsync(job.Id);
        Assert.True(result.Success);
        Assert.Equal(3, result.Try);
        Assert.Equal(3, result.Result.Deserialize<long>());
        Assert.Equal(2, summary.Retried);
        await AssertJobKeysGoneAsync(job.Id);
    }

    [Fact]
    public async Task Retry_with_a_delay_raises_the_score_and_keeps_job_and_try_count()
    {
        var job = (await Client.EnqueueAsync("Calculator.RetryLater", 60.0))!;
        var score = (long)(await Redis.SortedSetScoreAsync(job.Queue, job.Id))!;
        await using var worker = StartWorker();

        await Until(async () => (await Redis.StringGetAsync(ArqKeys.Retry(job.Id))) == 1
            && !await Redis.KeyExistsAsync(ArqKeys.InProgress(job.Id)), "the first try is retried");
        await worker.StopAsync();

        var newScore = (long)(await Redis.SortedSetScoreAsync(job.Queue, job.Id))!;
        Assert.InRange(newScore - NowMs(), 55_000, 60_000);
        Assert.True(newScore >= score + 60_000);
        Assert.True(await Redis.KeyExistsAsync(ArqKeys.Job(job.Id)));
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Result(job.Id)));
        Assert.Equal(JobStatus.Deferred, await job.GetStatusAsync());
    }

    [Fact]
    public async Task A_job_out_of_tries_fails_with_max_tries_exceeded()
    {
        var retrying = (await Client.EnqueueAsync("Calculator.AlwaysRetry"))!;
        var forced = (await Client.EnqueueAsync("Calculator.Add", [1, 2], null, new EnqueueOptions { JobTry = 6 }))!;

        var summary = await RunBurstAsync();

        var result = await StoredResultAsync(retrying.Id);
        Assert.Equal("MaxTriesExceeded: max 2 retries exceeded", result.Result.Deserialize<string>());
        Assert.Equal(3, result.Try);
        Assert.Equal("MaxTriesExceeded: max 5 retries exceeded", (await StoredResultAsync(forced.Id)).Result.Deserialize<string>());
        Assert.Equal(6, (await StoredResultAsync(forced.Id)).Try);
        Assert.Equal(2, summary.Failed);
        await AssertJobKeysGoneAsync(retrying.Id);
    }

    [Fact]
    public async Task Keep_result_zero_writes_none_and_forever_never_expires()
    {
        var none = (await Client.EnqueueAsync("Calculator.NoResult"))!;
        var forever = (await Client.EnqueueAsync("Calculator.Forever"))!;
        var workerSetting = (await Client.EnqueueAsync("Calculator.Add", 1, 1))!;

        await RunBurstAsync(Fast with { KeepResult = TimeSpan.FromSeconds(30) });

        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Result(none.Id)));
        await AssertJobKeysGoneAsync(none.Id);
        Assert.Equal(-1, await PttlAsync(ArqKeys.Result(forever.Id)));
        Assert.InRange(await PttlAsync(ArqKeys.Result(workerSetting.Id)), 25_000, 30_000);
        Assert.NotNull(await Client.EnqueueAsync("Calculator.NoResult", [], null, new EnqueueOptions { JobId = none.Id }));
    }

    [Fact]
    public async Task A_worker_that_keeps_results_for_ever_writes_them_with_no_expiry()
    {
        var job = (await Client.EnqueueAsync("Calculator.Add", 2, 3))!;

        await RunBurstAsync(Fast with { KeepResult = Timeout.InfiniteTimeSpan });

        Assert.Equal(-1, await PttlAsync(ArqKeys.Result(job.Id)));
        Assert.Equal(5, await job.GetResultAsync<long>());
        Assert.Null(await Client.EnqueueAsync("Calculator.Add", [2, 3], null, new EnqueueOptions { JobId = job.Id }));
    }

    [Fact]
    public void A_negative_keep_result_other_than_forever_is_refused_before_any_job_runs()
    {
        // Minus one tick is what PowerShell makes of [timespan]-1: it once expired every result within a millisecond.
        var worker = Assert.Throws<ArgumentException>(() => CreateWorker(Fast with { KeepResult = TimeSpan.FromTicks(-1) }));
        Assert.Equal("KeepResult must be zero (keep none), positive, or Timeout.InfiniteTimeSpan (keep for ever), but is -00:00:00.0000001. (Parameter 'KeepResult')", worker.Message);

        var function = Assert.Throws<ArgumentException>(() => new FunctionRegistry().Add("f", () => 1, new JobFunctionSettings { KeepResult = TimeSpan.FromSeconds(-1) }));
        Assert.StartsWith("The job function 'f' keeps its result for -00:00:01: give zero (keep none)", function.Message);
    }

    [Fact]
    public async Task An_expired_job_fails_with_arq_unknown_fields()
    {
        await Redis.SortedSetAddAsync(ArqKeys.DefaultQueue, "gone", NowMs());

        await RunBurstAsync();

        var result = await StoredResultAsync("gone");
        Assert.Equal("JobExpired: job expired", result.Result.Deserialize<string>());
        Assert.Equal("<unknown>", result.Function);
        Assert.Equal(0, result.EnqueueTimeMs);
        Assert.Empty(result.Args);
        Assert.Equal(1, result.Try);
        await AssertJobKeysGoneAsync("gone");
    }

    [Fact]
    public async Task A_result_that_cannot_be_encoded_fails_as_a_serialization_error()
    {
        var job = (await Client.EnqueueAsync("Calculator.Unencodable"))!;

        await RunBurstAsync();

        var error = await Assert.ThrowsAsync<JobFailedException>(() => job.GetResultAsync());
        Assert.Equal(JobErrorTypes.Serialization, error.Error.Type);
        Assert.Contains("System.Action", error.Error.Message);
    }

    [Fact]
    public async Task Undecodable_bytes_become_a_failed_result_and_other_jobs_run()
    {
        await Redis.StringSetAsync(ArqKeys.Job("garbage"), new byte[] { 0x93, 0x01, 0xc1 });
        await Redis.SortedSetAddAsync(ArqKeys.DefaultQueue, "garbage", NowMs());
        var good = (await Client.EnqueueAsync("Calculator.Add", 2, 2))!;

        await RunBurstAsync();

        var result = await StoredResultAsync("garbage");
        Assert.StartsWith("InvalidJob: Not a valid arq job", result.Result.Deserialize<string>());
        Assert.Equal(4, await good.GetResultAsync<long>());
    }
}
