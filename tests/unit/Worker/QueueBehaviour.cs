using Arq.Protocol;
using Arq.Testing;
using Arq.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Arq.Tests.Worker;

/// <summary>
/// How a queue behaves, whatever holds it: each test runs against Redis (<see cref="RedisQueueBehaviourTests"/>) and
/// against the test harness's in-memory broker (<see cref="InMemoryQueueBehaviourTests"/>), which must agree.
/// </summary>
public abstract class QueueBehaviour
{
    /// <summary>What a store's own claims leave out: the jobs its worker runs (none, when a test claims by hand).</summary>
    private static readonly Func<string, bool> NothingRunsHere = _ => false;

    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected ArqWorkerOptions WorkerOptions => new() { Clock = Clock, PollDelay = TimeSpan.FromMilliseconds(20), MaxTries = 3 };

    protected abstract Task<string?> EnqueueAsync(string function, object?[] args, EnqueueOptions? options = null);

    /// <summary>Runs the due jobs with a burst worker of Calculator's functions.</summary>
    protected abstract Task<WorkerSummary> RunAsync();

    protected abstract Task<JobStatus> StatusAsync(string jobId);

    protected abstract Task<JobResult?> ResultAsync(string jobId);

    protected abstract Task RequestAbortAsync(string jobId);

    protected abstract Task<JobStreams?> StreamsAsync(string jobId);

    /// <summary>The worker's store on this queue: the protocol's steps one at a time, as the worker takes them.</summary>
    private protected abstract IWorkerStore CreateStore(ArqWorkerOptions options);

    private async Task<T> WithStoreAsync<T>(Func<IWorkerStore, Task<T>> use, ArqWorkerOptions? options = null)
    {
        var store = CreateStore(options ?? WorkerOptions);
        var finishing = store.SendFinishesAsync();
        try
        {
            return await use(store);
        }
        finally
        {
            store.CompleteFinishes();
            await finishing;
        }
    }

    private ResultMessage Result(ClaimedJob claim, bool success, object? value) =>
        new(claim.Try, "Calculator.Add", [], new Dictionary<string, PackedValue>(), 0, success, PackedValue.From(value),
            claim.ScoreMs, claim.ScoreMs, claim.Queue, claim.JobId);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task What_a_job_writes_to_its_streams_is_kept_with_its_result_in_order_whether_it_succeeds_or_fails(bool fail)
    {
        var id = (await EnqueueAsync("Calculator.Chatty", [fail]))!;

        await RunAsync();
        var streams = await StreamsAsync(id);

        Assert.Equal(fail, !(await ResultAsync(id))!.Success);
        Assert.NotNull(streams);
        Assert.Equal(0, streams.Dropped);
        Assert.Equal([JobStream.Verbose, JobStream.Information, JobStream.Warning, JobStream.Error], streams.Records.Select(r => r.Stream));
        Assert.Equal(["starting", "step 1 of 2", "disk almost full", "file a.txt not found"], streams.Records.Select(r => r.Message));
        Assert.Equal(["progress", "step"], streams.Records[1].Tags);
        Assert.Equal(new JobStreamError { ErrorId = "PathNotFound", Category = "ObjectNotFound" }, streams.Records[3].Error);
    }

    [Fact]
    public async Task A_job_that_writes_without_end_keeps_the_first_records_up_to_the_limit_and_counts_the_rest()
    {
        var noisy = (await EnqueueAsync("Calculator.Noisy", [100_000]))!;
        var quiet = (await EnqueueAsync("Calculator.Add", [1, 2]))!;

        await RunAsync();
        var streams = (await StreamsAsync(noisy))!;

        Assert.True((await ResultAsync(noisy))!.Success);
        var kept = streams.Records.Count;
        Assert.InRange(kept, 100, WorkerOptions.MaxStreamBytes / 100);
        Assert.Equal(100_000, kept + streams.Dropped);
        Assert.All(streams.Records, (record, i) => Assert.StartsWith($"warning {i,10} ", record.Message));
        Assert.Null(await StreamsAsync(quiet)); // a job that wrote nothing has no streams
    }

    [Fact]
    public async Task A_claim_takes_due_jobs_in_order_up_to_the_free_slots_and_counts_every_queued_job()
    {
        var first = (await EnqueueAsync("Calculator.Add", [1, 1], new EnqueueOptions { JobId = "a" }))!;
        var second = (await EnqueueAsync("Calculator.Add", [2, 2], new EnqueueOptions { JobId = "b" }))!;
        await EnqueueAsync("Calculator.Add", [3, 3], new EnqueueOptions { JobId = "c" });
        await EnqueueAsync("Calculator.Add", [4, 4], new EnqueueOptions { JobId = "later", DeferBy = TimeSpan.FromHours(1) });

        var (claim, again) = await WithStoreAsync(async store => (await store.ClaimAsync(2, false, NothingRunsHere), await store.ClaimAsync(10, false, NothingRunsHere)));

        Assert.Equal([(first, 1L), (second, 1L)], claim.Jobs.Select(j => (j.JobId, j.Try)));
        Assert.Equal(4, claim.QueuedTotal); // deferred jobs count too: a burst waits for them, as arq's does
        Assert.All(claim.Jobs, j => Assert.Equal("Calculator.Add", JobMessage.Decode(j.Bytes!).Function));
        Assert.Equal(["c"], again.Jobs.Select(j => j.JobId)); // a and b are leased
        Assert.Equal(JobStatus.InProgress, await StatusAsync(first));
    }

    [Fact]
    public async Task A_retry_hands_the_job_back_later_and_its_next_claim_counts_the_try()
    {
        var id = (await EnqueueAsync("Calculator.Add", [1, 1]))!;

        var retried = await WithStoreAsync(async store =>
        {
            var claim = (await store.ClaimAsync(1, false, NothingRunsHere)).Jobs.Single();
            await store.RetryAsync(id, claim.Queue, 60_000);
            var status = await StatusAsync(id);
            var early = await store.ClaimAsync(1, false, NothingRunsHere);
            Clock.Advance(TimeSpan.FromMinutes(1));
            return (status, early.Jobs.Count, (await store.ClaimAsync(1, false, NothingRunsHere)).Jobs.Single().Try);
        });

        Assert.Equal((JobStatus.Deferred, 0, 2L), retried);
    }

    [Fact]
    public async Task A_try_number_set_by_the_worker_carries_on_from_there()
    {
        var id = (await EnqueueAsync("Calculator.Add", [1, 1]))!;

        var next = await WithStoreAsync(async store =>
        {
            var claim = (await store.ClaimAsync(1, false, NothingRunsHere)).Jobs.Single();
            await store.SetTryAsync(id, claim.Queue, 5);
            await store.RetryAsync(id, claim.Queue, 0);
            return (await store.ClaimAsync(1, false, NothingRunsHere)).Jobs.Single().Try;
        });

        Assert.Equal(6, next);
    }

    [Fact]
    public async Task A_finish_stores_the_result_for_its_keep_time_and_removes_the_job()
    {
        var kept = (await EnqueueAsync("Calculator.Add", [1, 1]))!;
        var dropped = (await EnqueueAsync("Calculator.Add", [2, 2]))!;
        var cron = (await EnqueueAsync("Calculator.Add", [3, 3]))!;

        await WithStoreAsync(async store =>
        {
            var claims = (await store.ClaimAsync(3, false, NothingRunsHere)).Jobs.ToDictionary(j => j.JobId);
            await Task.WhenAll(
                store.FinishAsync(kept, claims[kept].Queue, Result(claims[kept], true, 2), TimeSpan.FromMinutes(1)),
                store.FinishAsync(dropped, claims[dropped].Queue, Result(claims[dropped], false, "no"), TimeSpan.Zero),
                store.FinishAsync(cron, claims[cron].Queue, Result(claims[cron], true, 6), TimeSpan.Zero, cron: true));
            Assert.Empty((await store.ClaimAsync(3, false, NothingRunsHere)).Jobs);
            return 0;
        });

        Assert.Equal((true, 2L), ((await ResultAsync(kept))!.Success, (await ResultAsync(kept))!.Result.Deserialize<long>()));
        Assert.Equal(JobStatus.NotFound, await StatusAsync(dropped));
        Assert.Equal(JobStatus.InProgress, await StatusAsync(cron)); // kept 60 s, so that no worker enqueues that run again
    }

    [Fact]
    public async Task An_abort_reaches_a_waiting_job_at_its_claim_and_a_running_one_through_the_abort_list()
    {
        var running = (await EnqueueAsync("Calculator.Add", [1, 1], new EnqueueOptions { JobId = "job-1" }))!;
        var waiting = (await EnqueueAsync("Calculator.Add", [2, 2], new EnqueueOptions { JobId = "job-2" }))!;

        var (aborted, requests) = await WithStoreAsync(async store =>
        {
            var first = (await store.ClaimAsync(1, false, NothingRunsHere)).Jobs.Single();
            Assert.Equal((running, false), (first.JobId, first.AbortedBeforeStart));
            await RequestAbortAsync(waiting);
            var second = (await store.ClaimAsync(1, false, NothingRunsHere)).Jobs.Single();
            await RequestAbortAsync(running);
            return (second, (await store.ClaimAsync(0, fetchAborts: true, NothingRunsHere)).AbortRequests);
        });

        Assert.Equal((waiting, true), (aborted.JobId, aborted.AbortedBeforeStart));
        Assert.Equal([running], requests);
    }

    [Fact]
    public async Task A_job_larger_than_the_limit_is_claimed_by_its_length_only()
    {
        await EnqueueAsync("Calculator.Add", [new string('x', 200), 1]);

        var claim = await WithStoreAsync(async store => (await store.ClaimAsync(1, false, NothingRunsHere)).Jobs.Single(), WorkerOptions with { MaxJobBytes = 100 });

        Assert.Null(claim.Bytes);
        Assert.InRange(claim.OversizeBytes, 201, 400);
    }

    [Fact]
    public async Task A_job_is_queued_then_complete_with_its_result()
    {
        var id = (await EnqueueAsync("Calculator.Add", [2, 3]))!;
        Assert.Equal(JobStatus.Queued, await StatusAsync(id));

        var summary = await RunAsync();

        Assert.Equal(JobStatus.Complete, await StatusAsync(id));
        var result = (await ResultAsync(id))!;
        Assert.True(result.Success);
        Assert.Equal(5, result.Result.Deserialize<long>());
        Assert.Equal((1, "Calculator.Add"), (result.Try, result.Function));
        Assert.Equal(1, summary.Complete);
    }

    [Fact]
    public async Task A_deferred_job_waits_for_its_time()
    {
        var id = (await EnqueueAsync("Calculator.Add", [1, 1], new EnqueueOptions { DeferBy = TimeSpan.FromMinutes(5) }))!;
        Assert.Equal(JobStatus.Deferred, await StatusAsync(id));

        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(JobStatus.Queued, await StatusAsync(id));
        await RunAsync();

        Assert.Equal(2, (await ResultAsync(id))!.Result.Deserialize<long>());
    }

    [Fact]
    public async Task A_second_job_with_the_same_id_is_refused()
    {
        var options = new EnqueueOptions { JobId = "only-once" };

        Assert.Equal("only-once", await EnqueueAsync("Calculator.Add", [1, 1], options));
        Assert.Null(await EnqueueAsync("Calculator.Add", [2, 2], options));
        await RunAsync();
        Assert.Null(await EnqueueAsync("Calculator.Add", [3, 3], options)); // its result is kept
        Assert.Equal(2, (await ResultAsync("only-once"))!.Result.Deserialize<long>());
    }

    [Fact]
    public async Task A_failing_job_records_its_error()
    {
        var id = (await EnqueueAsync("Calculator.Fail", ["broken"]))!;

        var summary = await RunAsync();

        var result = (await ResultAsync(id))!;
        Assert.False(result.Success);
        Assert.Equal(new JobError("InvalidOperationException", "broken"), result.Error);
        Assert.Equal(1, summary.Failed);
    }

    [Fact]
    public async Task A_job_that_asks_to_retry_runs_again_and_one_past_its_max_tries_fails()
    {
        var retried = (await EnqueueAsync("Calculator.RetryUntil", [3]))!;
        var exhausted = (await EnqueueAsync("Calculator.AlwaysRetry", []))!;

        var summary = await RunAsync();

        Assert.Equal(3, (await ResultAsync(retried))!.Result.Deserialize<long>());
        var failed = (await ResultAsync(exhausted))!;
        Assert.Equal((JobErrorTypes.MaxTriesExceeded, 3L), (failed.Error!.Type, failed.Try));
        Assert.Equal((1, 1, 4), (summary.Complete, summary.Failed, summary.Retried)); // two retries each
    }

    [Fact]
    public async Task An_unknown_function_and_an_undecodable_job_fail_with_their_reasons()
    {
        var id = (await EnqueueAsync("Nobody.Home", []))!;

        await RunAsync();

        Assert.Equal(new JobError(JobErrorTypes.FunctionNotFound, "function 'Nobody.Home' not found"), (await ResultAsync(id))!.Error);
    }

    [Fact]
    public async Task A_result_kept_for_no_time_leaves_the_finished_job_not_found()
    {
        var id = (await EnqueueAsync("Calculator.NoResult", []))!;

        await RunAsync();

        Assert.Equal(JobStatus.NotFound, await StatusAsync(id));
        Assert.Null(await ResultAsync(id));
    }

    [Fact]
    public async Task An_aborted_waiting_job_fails_as_cancelled_without_running()
    {
        var id = (await EnqueueAsync("Calculator.Add", [1, 2], new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;

        await RequestAbortAsync(id);
        await RunAsync();

        Assert.Equal(new JobError(JobErrorTypes.Cancelled, "job aborted before start"), (await ResultAsync(id))!.Error);
    }
}

/// <summary><see cref="QueueBehaviour"/> on Redis, with the real client and worker.</summary>
public sealed class RedisQueueBehaviourTests : QueueBehaviour, IAsyncLifetime
{
    private readonly RedisTestDatabase db = RedisTestServer.Shared.CreateDatabase();
    private StackExchange.Redis.ConnectionMultiplexer connection = null!;
    private ArqClient client = null!;

    public async ValueTask InitializeAsync()
    {
        connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(db.ConnectionString);
        client = new ArqClient(connection, new ArqClientOptions { Clock = Clock });
    }

    public async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync();
        db.Dispose();
    }

    protected override async Task<string?> EnqueueAsync(string function, object?[] args, EnqueueOptions? options = null) =>
        (await client.EnqueueAsync(function, args, null, options))?.Id;

    protected override Task<WorkerSummary> RunAsync() =>
        new ArqWorker(connection, new FunctionRegistry().AddActor<Calculator>(), WorkerOptions with { Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

    protected override Task<JobStatus> StatusAsync(string jobId) => client.GetJob(jobId).GetStatusAsync();

    protected override Task<JobResult?> ResultAsync(string jobId) => client.GetJob(jobId).GetResultInfoAsync();

    protected override Task RequestAbortAsync(string jobId) => client.GetJob(jobId).RequestAbortAsync();

    protected override Task<JobStreams?> StreamsAsync(string jobId) => client.GetJob(jobId).GetStreamsAsync();

    private protected override IWorkerStore CreateStore(ArqWorkerOptions options) => new WorkerStore(connection, options);
}

/// <summary><see cref="QueueBehaviour"/> on the test harness's in-memory broker.</summary>
public sealed class InMemoryQueueBehaviourTests : QueueBehaviour
{
    private readonly ArqTestHarness harness;

    public InMemoryQueueBehaviourTests() => harness = new ArqTestHarness(new FunctionRegistry().AddActor<Calculator>(), WorkerOptions);

    protected override Task<string?> EnqueueAsync(string function, object?[] args, EnqueueOptions? options = null) =>
        Task.FromResult(harness.Broker.Enqueue(function, args, null, options));

    protected override Task<WorkerSummary> RunAsync() => harness.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

    protected override Task<JobStatus> StatusAsync(string jobId) => Task.FromResult(harness.GetStatus(jobId));

    protected override Task<JobResult?> ResultAsync(string jobId) => Task.FromResult(harness.Broker.GetResult(jobId));

    protected override Task RequestAbortAsync(string jobId)
    {
        harness.Broker.RequestAbort(jobId);
        return Task.CompletedTask;
    }

    protected override Task<JobStreams?> StreamsAsync(string jobId) => Task.FromResult(harness.Broker.GetStreams(jobId));

    private protected override IWorkerStore CreateStore(ArqWorkerOptions options) => new InMemoryWorkerStore(harness.Broker, options);
}
