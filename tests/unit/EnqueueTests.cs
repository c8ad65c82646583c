using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Tests;

/// <summary>docs/protocol.md §4, one rule a test, read back from the raw keys in Redis.</summary>
public sealed class EnqueueTests : RedisTest
{
    private const long Day = 86_400_000;

    [Fact]
    public async Task A_job_is_stored_for_a_day_and_scored_at_its_enqueue_time()
    {
        var before = NowMs();
        var job = await Client.EnqueueAsync("add", 1, 2);
        var after = NowMs();

        Assert.NotNull(job);
        Assert.Matches("^[0-9a-f]{32}$", job.Id);
        var stored = JobMessage.Decode((byte[])(await Redis.StringGetAsync(ArqKeys.Job(job.Id)))!);
        Assert.Equal("add", stored.Function);
        Assert.Equal([1L, 2L], stored.Args.Select(a => a.Deserialize<long>()));
        Assert.Empty(stored.Kwargs);
        Assert.Null(stored.Try);
        Assert.InRange(stored.EnqueueTimeMs, before, after);
        Assert.Equal(stored.EnqueueTimeMs, (long)(await Redis.SortedSetScoreAsync(ArqKeys.DefaultQueue, job.Id))!);
        Assert.InRange(await PttlAsync(ArqKeys.Job(job.Id)), Day - 5000, Day);
    }

    [Fact]
    public async Task Defer_by_adds_to_the_score_and_to_the_expiry()
    {
        var job = await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { DeferBy = TimeSpan.FromMinutes(1) });

        var stored = await StoredJobAsync(job!);
        Assert.Equal(stored.EnqueueTimeMs + 60_000, await ScoreAsync(job!));
        Assert.InRange(await PttlAsync(ArqKeys.Job(job!.Id)), Day + 60_000 - 5000, Day + 60_000);
        Assert.Equal(JobStatus.Deferred, await job.GetStatusAsync());
    }

    [Fact]
    public async Task Defer_until_sets_the_score_and_expires_a_day_after_it()
    {
        var until = DateTimeOffset.UtcNow.AddHours(2);
        var job = await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { DeferUntil = until });

        var stored = await StoredJobAsync(job!);
        Assert.Equal(until.ToUnixTimeMilliseconds(), await ScoreAsync(job!));
        var expected = until.ToUnixTimeMilliseconds() - stored.EnqueueTimeMs + Day;
        Assert.InRange(await PttlAsync(ArqKeys.Job(job!.Id)), expected - 5000, expected);
    }

    [Fact]
    public async Task Defer_until_in_the_past_makes_the_job_due_at_once_with_a_shorter_life()
    {
        var until = DateTimeOffset.UtcNow.AddHours(-1);
        var job = await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { DeferUntil = until });

        Assert.Equal(until.ToUnixTimeMilliseconds(), await ScoreAsync(job!));
        Assert.InRange(await PttlAsync(ArqKeys.Job(job!.Id)), Day - 3_600_000 - 5000, Day - 3_600_000);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
    }

    [Fact]
    public async Task Defer_until_more_than_a_day_in_the_past_is_refused_before_touching_redis()
    {
        var options = new EnqueueOptions { DeferUntil = DateTimeOffset.UtcNow.AddDays(-2), JobId = "old" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("add", [1], null, options));

        Assert.Contains("DeferUntil", error.Message);
        Assert.Contains("in the past", error.Message);
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Job("old")));
    }

    [Fact]
    public async Task Expires_sets_the_job_key_expiry()
    {
        var job = await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { Expires = TimeSpan.FromSeconds(10) });

        Assert.InRange(await PttlAsync(ArqKeys.Job(job!.Id)), 5000, 10_000);
    }

    [Fact]
    public async Task Job_try_is_stored_in_t()
    {
        var job = await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { JobTry = 3 });

        Assert.Equal(3, (await StoredJobAsync(job!)).Try);
    }

    [Fact]
    public async Task A_named_queue_is_the_key_of_its_sorted_set()
    {
        var job = await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { Queue = "arq:other" });

        Assert.Equal("arq:other", job!.Queue);
        Assert.NotNull(await Redis.SortedSetScoreAsync("arq:other", job.Id));
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.DefaultQueue));
        Assert.Equal(JobStatus.NotFound, await Client.GetJob(job.Id).GetStatusAsync());
        Assert.Equal(JobStatus.Queued, await Client.GetJob(job.Id, "arq:other").GetStatusAsync());
    }

    [Fact]
    public async Task Keyword_arguments_keep_their_names_and_order()
    {
        var kwargs = new Dictionary<string, object?> { ["b"] = "two", ["a"] = 1 };
        var job = await Client.EnqueueAsync("greet", ["x"], kwargs);

        var stored = await StoredJobAsync(job!);
        Assert.Equal(["b", "a"], stored.Kwargs.Keys);
        Assert.Equal("two", stored.Kwargs["b"].Deserialize<string>());
    }

    [Fact]
    public async Task A_duplicate_id_is_refused_while_the_job_is_stored_and_changes_nothing()
    {
        var options = new EnqueueOptions { JobId = "my-custom-id" };
        var first = await Client.EnqueueAsync("add", [1], null, options);
        var stored = await Redis.StringGetAsync(ArqKeys.Job("my-custom-id"));

        var second = await Client.EnqueueAsync("add", [2], null, options);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(stored, await Redis.StringGetAsync(ArqKeys.Job("my-custom-id")));
    }

    [Fact]
    public async Task A_duplicate_id_is_refused_while_a_result_is_kept()
    {
        await Redis.StringSetAsync(ArqKeys.Result("done"), GoldenResult("result_success"));

        Assert.Null(await Client.EnqueueAsync("add", [1], null, new EnqueueOptions { JobId = "done" }));
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Job("done")));
    }

    [Fact]
    public async Task An_id_can_be_reused_once_job_and_result_are_gone_even_if_still_in_the_queue()
    {
        var options = new EnqueueOptions { JobId = "again" };
        await Client.EnqueueAsync("add", [1], null, options);
        await Redis.KeyDeleteAsync(ArqKeys.Job("again"));

        Assert.NotNull(await Client.EnqueueAsync("add", [2], null, options));
    }

    [Fact]
    public async Task Defer_by_and_defer_until_together_are_refused_before_touching_redis()
    {
        var options = new EnqueueOptions { JobId = "both", DeferBy = TimeSpan.FromSeconds(1), DeferUntil = DateTimeOffset.UtcNow };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("add", [1], null, options));

        Assert.Contains("DeferBy and DeferUntil", error.Message);
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Job("both")));
    }

    [Fact]
    public async Task An_argument_that_cannot_be_encoded_is_named_in_the_error()
    {
        var positional = await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("f", 1, new Action(() => { })));
        var named = await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.EnqueueAsync("f", [], new Dictionary<string, object?> { ["stream"] = new MemoryStream() }));

        Assert.Contains("Argument 1", positional.Message);
        Assert.Contains("System.Action", positional.Message);
        Assert.Contains("Argument 'stream'", named.Message);
        Assert.Contains("System.IO.MemoryStream", named.Message);
        Assert.Equal(0, await Redis.SortedSetLengthAsync(ArqKeys.DefaultQueue));
    }

    [Fact]
    public async Task Records_travel_as_maps_keyed_by_member_name()
    {
        var job = await Client.EnqueueAsync("ship", new Parcel("books", 3));

        var map = Assert.IsType<Dictionary<object, object?>>((await StoredJobAsync(job!)).Args[0].ToObject());
        Assert.Equal("books", map["Name"]);
        Assert.Equal(3L, map["Weight"]);
    }

    [Fact]
    public async Task Many_jobs_are_enqueued_at_once_and_a_duplicate_is_null_in_its_place()
    {
        await Client.EnqueueAsync("f", [0], null, new EnqueueOptions { JobId = "taken" });
        var requests = Enumerable.Range(1, 100).Select(i => new JobRequest("f", [i])).ToList();
        requests.Insert(50, new JobRequest("f", [0], Options: new EnqueueOptions { JobId = "taken" }));

        var jobs = await Client.EnqueueManyAsync(requests);

        Assert.Equal(101, jobs.Count);
        Assert.Null(jobs[50]);
        Assert.Equal(101, await Redis.SortedSetLengthAsync(ArqKeys.DefaultQueue));
        Assert.Equal(100L, (await StoredJobAsync(jobs[100]!)).Args[0].Deserialize<long>());
    }

    [Fact]
    public async Task A_batch_with_an_argument_that_cannot_be_encoded_enqueues_nothing()
    {
        var requests = new[] { new JobRequest("f", [1]), new JobRequest("f", [new Action(() => { })]) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueManyAsync(requests));

        Assert.Contains("Argument 0 of type System.Action", error.Message);
        Assert.Equal(0, await Redis.SortedSetLengthAsync(ArqKeys.DefaultQueue));
    }

    public sealed record Parcel(string Name, int Weight);

    private async Task<JobMessage> StoredJobAsync(Job job) =>
        JobMessage.Decode((byte[])(await Redis.StringGetAsync(ArqKeys.Job(job.Id)))!);

    private async Task<long> ScoreAsync(Job job) => (long)(await Redis.SortedSetScoreAsync(job.Queue, job.Id))!;

    private async Task<long> PttlAsync(RedisKey key) => (long)(await Redis.ExecuteAsync("PTTL", key));

    internal static byte[] GoldenResult(string file) =>
        GoldenVectors.StoredValues().First(v => v.File == file && !v.IsJob).Bytes;
}
