using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Arq.Protocol;
using Arq.Worker;
using MessagePack;

namespace Arq.Tests.Worker;

/// <summary>Aborts (§11), health check (§10), burst, priority across queues, actor lifetime, shutdown, interop.</summary>
public sealed class WorkerBehaviourTests : WorkerTest
{
    [Fact]
    public async Task An_abort_requested_before_start_fails_the_job_without_running_it()
    {
        var ran = 0;
        Functions.Add("count", () => Interlocked.Increment(ref ran));
        var job = (await Client.EnqueueAsync("count", [], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var aborting = job.AbortAsync(TimeSpan.FromSeconds(20));
        await Until(async () => await Redis.SortedSetScoreAsync(ArqKeys.Abort, job.Id) is not null, "the abort is requested");

        await RunBurstAsync();

        Assert.True(await aborting);
        Assert.Equal(0, ran);
        Assert.Equal("CancelledError: job aborted before start", (await StoredResultAsync(job.Id)).Result.Deserialize<string>());
        Assert.Null(await Redis.SortedSetScoreAsync(ArqKeys.Abort, job.Id));
        await AssertJobKeysGoneAsync(job.Id);
    }

    [Fact]
    public async Task An_abort_while_running_cancels_the_job()
    {
        var started = new TaskCompletionSource();
        Functions.Add("block", async (CancellationToken token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        var job = (await Client.EnqueueAsync("block"))!;
        await using var worker = StartWorker();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(JobStatus.InProgress, await job.GetStatusAsync());
        Assert.True(await job.AbortAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("CancelledError: job aborted", (await StoredResultAsync(job.Id)).Result.Deserialize<string>());
        await AssertJobKeysGoneAsync(job.Id);
        Assert.Equal(1, (await worker.StopAsync()).Failed);
    }

    [Fact]
    public async Task The_health_check_reports_counts_while_running_and_is_deleted_at_stop()
    {
        await Client.EnqueueAsync("Calculator.Add", 1, 1);
        await Client.EnqueueAsync("Calculator.Add", [1, 1], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) });
        await using var worker = StartWorker(Fast with { HealthCheckInterval = TimeSpan.FromMilliseconds(50) });

        // Rewritten every 50 ms, the line settles once the first job is done and the deferred one waits.
        var expected = new Regex(@"^[A-Z][a-z]{2}-\d\d \d\d:\d\d:\d\d j_complete=1 j_failed=0 j_retried=0 j_ongoing=0 queued=1$");
        await Until(async () => expected.IsMatch((string?)await Redis.StringGetAsync(ArqKeys.HealthCheck(ArqKeys.DefaultQueue)) ?? ""),
            "the health check shows the finished job and the deferred one");

        Assert.InRange(await PttlAsync(ArqKeys.HealthCheck(ArqKeys.DefaultQueue)), 0, 1050);
        await worker.StopAsync();
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.HealthCheck(ArqKeys.DefaultQueue)));
    }

    [Fact]
    public async Task An_idle_worker_starts_a_job_enqueued_by_an_arq_client_without_waiting_for_its_next_poll()
    {
        await using var worker = StartWorker(Fast with { PollDelay = TimeSpan.FromSeconds(30) });
        await Until(async () => await Redis.KeyExistsAsync(ArqKeys.HealthCheck(ArqKeys.DefaultQueue)), "the worker polled once");

        var job = (await Client.EnqueueAsync("Calculator.Add", 1, 2))!;

        // Only the enqueue's wake-up message can start the job within the time limit: the next poll is 30 s away.
        Assert.Equal(3, await job.GetResultAsync<long>(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Burst_mode_returns_when_every_queue_is_empty()
    {
        for (var i = 0; i < 20; i++) await Client.EnqueueAsync("Calculator.Add", [i, 1], null, new EnqueueOptions { Queue = i % 2 == 0 ? "high" : "low" });

        var summary = await RunBurstAsync(Fast with { Queues = ["high", "low"] });

        Assert.Equal(20, summary.Complete);
        Assert.Equal(0, await Redis.SortedSetLengthAsync("high") + await Redis.SortedSetLengthAsync("low"));
    }

    [Fact]
    public async Task A_due_job_on_a_higher_queue_is_taken_before_one_on_a_lower_queue()
    {
        var order = new ConcurrentQueue<string>();
        Functions.Add("record", (JobContext context) => order.Enqueue(context.Queue));
        for (var i = 0; i < 5; i++)
        {
            await Client.EnqueueAsync("record", [], null, new EnqueueOptions { Queue = "low" });
            await Client.EnqueueAsync("record", [], null, new EnqueueOptions { Queue = "high" });
        }

        await RunBurstAsync(Fast with { Queues = ["high", "low"], MaxJobs = 1 });

        Assert.Equal(["high", "high", "high", "high", "high", "low", "low", "low", "low", "low"], order);
    }

    [Fact]
    public async Task An_actor_is_created_once_started_reused_and_disposed()
    {
        var functions = new FunctionRegistry().AddActor<Counter>();
        for (var i = 0; i < 5; i++) await Client.EnqueueAsync("Tally.Next");

        await new ArqWorker(Connection, functions, Fast with { Burst = true, MaxJobs = 1 }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var instance = Assert.Single(Counter.Instances); // only this test uses the Counter actor
        Assert.True(instance.Started);
        Assert.True(instance.Disposed);
        Assert.Equal(5, instance.Calls);
    }

    [Fact]
    public async Task A_failing_actor_start_stops_the_worker_before_any_job_is_claimed()
    {
        var functions = new FunctionRegistry().AddActor<BrokenActor>();
        var job = (await Client.EnqueueAsync("BrokenActor.Work"))!;

        var error = await Assert.ThrowsAsync<ArqException>(() => new ArqWorker(Connection, functions, Fast).RunAsync());

        Assert.Contains("BrokenActor failed to start: no database", error.Message);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Retry(job.Id)));
    }

    [Fact]
    public async Task On_stop_a_job_that_outlives_the_shutdown_delay_goes_back_to_its_queue_at_once()
    {
        var started = new TaskCompletionSource();
        Functions.Add("stubborn", async (CancellationToken token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        Functions.Add("quick", async () => { await started.Task; return 1; });
        var stubborn = (await Client.EnqueueAsync("stubborn"))!;
        var score = await Redis.SortedSetScoreAsync(stubborn.Queue, stubborn.Id);
        var worker = StartWorker(Fast with { ShutdownDelay = TimeSpan.FromMilliseconds(200) });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var summary = await worker.StopAsync();

        Assert.Equal(1, summary.Retried);
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.InProgress(stubborn.Id)));
        Assert.Equal(score, await Redis.SortedSetScoreAsync(stubborn.Queue, stubborn.Id));
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Result(stubborn.Id)));
        Assert.Equal(JobStatus.Queued, await stubborn.GetStatusAsync());
        Assert.Equal("1", await Redis.StringGetAsync(ArqKeys.Retry(stubborn.Id)));
    }

    [Fact]
    public async Task On_stop_running_jobs_finish_within_the_shutdown_delay()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        Functions.Add("finishing", async () =>
        {
            started.TrySetResult();
            await release.Task;
            return "done";
        });
        var job = (await Client.EnqueueAsync("finishing"))!;
        var worker = StartWorker();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopping = worker.StopAsync();
        release.SetResult();
        var summary = await stopping;

        Assert.Equal(1, summary.Complete);
        Assert.Equal("done", await job.GetResultAsync<string>());
    }

    [Fact]
    public async Task A_job_written_by_python_arq_runs_and_its_result_follows_the_golden_layout()
    {
        // The exact bytes Python arq 0.26 stored for enqueue_job('add', 1, 2).
        var python = GoldenVectors.StoredValues().First(v => v.File == "enqueue_positional" && v.IsJob);
        Functions.Add("add", (long a, long b) => a + b);
        await Redis.StringSetAsync(ArqKeys.Job("from-python"), python.Bytes);
        await Redis.SortedSetAddAsync(ArqKeys.DefaultQueue, "from-python", NowMs());

        await RunBurstAsync();

        var bytes = (byte[])(await Redis.StringGetAsync(ArqKeys.Result("from-python")))!;
        Assert.Equal(["t", "f", "a", "k", "et", "s", "r", "st", "ft", "q", "id"], MapKeys(bytes));
        var result = ResultMessage.Decode(bytes);
        Assert.Equal(3, result.Result.Deserialize<long>());
        Assert.Equal(python.Decoded.GetProperty("et").GetInt64(), result.EnqueueTimeMs);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(result.Encode()));
        PlainValues.AssertEqual(new object?[] { 1L, 2L }, result.Args.Select(a => a.ToObject()).ToArray());
    }

    private static List<string> MapKeys(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        var keys = new List<string>();
        for (var count = reader.ReadMapHeader(); count > 0; count--)
        {
            keys.Add(reader.ReadString()!);
            reader.Skip();
        }
        return keys;
    }

    [Actor("Tally")]
    public sealed class Counter : IActorStartup, IAsyncDisposable
    {
        public static readonly ConcurrentBag<Counter> Instances = [];
        public int Calls;

        public Counter() => Instances.Add(this);

        public bool Started { get; private set; }
        public bool Disposed { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        [JobFunction]
        public int Next() => Interlocked.Increment(ref Calls);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    public sealed class BrokenActor : IActorStartup
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no database");

        [JobFunction]
        public void Work() { }
    }
}
