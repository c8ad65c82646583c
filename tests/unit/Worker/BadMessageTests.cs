using Arq.Protocol;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>
/// Every kind of bad message a queue can hold becomes a failed result that says what is wrong; the worker keeps
/// running and the good jobs around it are untouched.
/// </summary>
public sealed class BadMessageTests : WorkerTest
{
    public static TheoryData<string, byte[], string> Kinds()
    {
        var data = new TheoryData<string, byte[], string>();
        foreach (var (kind, bytes, error) in BadMessages.Kinds) data.Add(kind, bytes, error);
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_bad_message_fails_with_a_clear_error_and_the_good_jobs_around_it_run(string kind, byte[] bytes, string expected)
    {
        var before = (await Client.EnqueueAsync("Calculator.Add", 1, 2))!;
        var id = $"bad-{kind.Replace(' ', '-')}";
        await Redis.StringSetAsync(ArqKeys.Job(id), bytes);
        await Redis.SortedSetAddAsync(ArqKeys.DefaultQueue, id, NowMs());
        var after = (await Client.EnqueueAsync("Calculator.Add", 3, 4))!;

        var summary = await RunBurstAsync(Fast with { MaxJobBytes = BadMessages.MaxJobBytes });

        var result = await StoredResultAsync(id);
        Assert.False(result.Success);
        Assert.Equal(expected, result.Result.Deserialize<string>());
        // Readable to arq and Get-ArqJob: an argument that is not valid data is repeated as a string that says so.
        foreach (var argument in result.Args.Concat(result.Kwargs.Values)) _ = argument.ToObject();
        Assert.DoesNotContain(result.Args, a => a.Type == MessagePack.MessagePackType.String && a.Bytes.Span.IndexOf((byte)0xff) >= 0);
        Assert.Equal(3, await before.GetResultAsync<long>());
        Assert.Equal(7, await after.GetResultAsync<long>());
        Assert.Equal((2, 1), (summary.Complete, summary.Failed));
        await AssertJobKeysGoneAsync(id);
    }

    [Theory]
    [InlineData("-inf")] // a Python producer's float('-inf'), "run first"
    [InlineData("-1e300")]
    public async Task A_job_with_a_score_before_any_date_runs_and_so_do_the_jobs_beside_it(string score)
    {
        var good = (await Client.EnqueueAsync("Calculator.Add", 1, 2))!;
        var odd = (await Client.EnqueueAsync("Calculator.Add", 3, 4))!;
        await Redis.ExecuteAsync("ZADD", ArqKeys.DefaultQueue, score, odd.Id);

        var summary = await RunBurstAsync();

        Assert.Equal(3, await good.GetResultAsync<long>());
        Assert.Equal(7, await odd.GetResultAsync<long>());
        Assert.Equal((2, 0), (summary.Complete, summary.Failed));
        await AssertJobKeysGoneAsync(odd.Id);
    }

    [Fact]
    public async Task A_job_whose_enqueue_time_is_past_any_date_runs_and_keeps_its_time_in_the_result()
    {
        const long farFuture = 1L << 62;
        await Redis.StringSetAsync(ArqKeys.Job("far"), BadMessages.AddJobEnqueuedAt(farFuture));
        await Redis.SortedSetAddAsync(ArqKeys.DefaultQueue, "far", NowMs());

        var summary = await RunBurstAsync();

        var result = await StoredResultAsync("far");
        Assert.True(result.Success);
        Assert.Equal(3, result.Result.Deserialize<long>());
        Assert.Equal(farFuture, result.EnqueueTimeMs);
        Assert.Equal(1, summary.Complete);
    }

    [Fact]
    public async Task A_job_larger_than_MaxJobBytes_fails_without_being_read()
    {
        var big = (await Client.EnqueueAsync("Calculator.Greet", new string('x', 5000)))!;
        var small = (await Client.EnqueueAsync("Calculator.Greet", "ann"))!;
        var size = (await Redis.StringGetAsync(ArqKeys.Job(big.Id))).Length();

        await RunBurstAsync(Fast with { MaxJobBytes = 1000 });

        var error = await Assert.ThrowsAsync<JobFailedException>(() => big.GetResultAsync<string>());
        Assert.Equal(new JobError(JobErrorTypes.JobTooLarge, $"the job is {size} bytes, more than the worker's limit of 1000 (MaxJobBytes)"), error.Error);
        Assert.Equal("hello ann", await small.GetResultAsync<string>());
    }
}
