using System.Collections.Concurrent;
using Arq.Protocol;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>Lifecycle hooks: worker start-up and shutdown, actor start and dispose, before and after each job.</summary>
public sealed class HookTests : WorkerTest
{
    private readonly ConcurrentQueue<string> events = new();

    [Fact]
    public async Task Hooks_run_in_order_around_the_worker_and_each_job()
    {
        var functions = new FunctionRegistry()
            .AddActor(typeof(Journal), () => new Journal(events))
            .AddHooks(new Recorder("second", events));
        await Client.EnqueueAsync("Journal.Write", "hello");
        var failing = (await Client.EnqueueAsync("Journal.Fail"))!;

        await new ArqWorker(Connection, functions, Fast with { Burst = true, MaxJobs = 1 }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Jobs enqueued in the same millisecond are claimed in job-id order, which is random: the promise is an
        // order per job, with the worker's start-up before all of them and its shutdown after.
        var log = events.ToList();
        Assert.Equal(["actor started", "actor: startup", "second: startup"], log[..3]);
        Assert.Equal(["second: shutdown", "actor: shutdown", "actor disposed"], log[^3..]);
        AssertInOrder(log,
            "actor: before Journal.Write", "second: before Journal.Write", "ran hello",
            "actor: after Journal.Write Succeeded \"HELLO\"", "second: after Journal.Write Succeeded \"HELLO\"");
        AssertInOrder(log,
            "actor: before Journal.Fail", "second: before Journal.Fail",
            "actor: after Journal.Fail Failed InvalidOperationException: broken", "second: after Journal.Fail Failed InvalidOperationException: broken");
        Assert.Equal(15, log.Count);
        Assert.False((await StoredResultAsync(failing.Id)).Success);
    }

    [Fact]
    public async Task A_failing_startup_hook_stops_the_worker_with_its_error_before_any_job_is_claimed()
    {
        var functions = new FunctionRegistry()
            .AddActor(typeof(Journal), () => new Journal(events))
            .AddHooks(new Recorder("broken", events) { FailAt = "startup" });
        var job = (await Client.EnqueueAsync("Journal.Write", "never"))!;

        var error = await Assert.ThrowsAsync<ArqException>(() => new ArqWorker(Connection, functions, Fast).RunAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal("The start-up hook broken failed: startup went wrong", error.Message);
        Assert.Equal(["actor started", "actor: startup", "actor disposed"], events);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Retry(job.Id)), "the job was claimed");
    }

    [Fact]
    public async Task A_failing_before_job_hook_fails_the_try_and_a_failing_after_job_hook_changes_nothing()
    {
        Functions.AddHooks(new Recorder("strict", events) { FailAt = "before Calculator.Fail" });
        Functions.AddHooks(new Recorder("sloppy", events) { FailAt = "after Calculator.Add" });
        var add = (await Client.EnqueueAsync("Calculator.Add", 1, 2))!;
        var fail = (await Client.EnqueueAsync("Calculator.Fail", "not reached"))!;

        await RunBurstAsync();

        Assert.Equal(3, await add.GetResultAsync<long>());
        var error = await Assert.ThrowsAsync<JobFailedException>(() => fail.GetResultAsync<object>());
        Assert.Equal(new JobError("InvalidOperationException", "before Calculator.Fail went wrong"), error.Error);
    }

    /// <summary>Each of <paramref name="expected"/> stands in <paramref name="log"/> once, in this order (other
    /// lines may come between them).</summary>
    private static void AssertInOrder(List<string> log, params string[] expected)
    {
        var positions = expected.Select(line => (line, at: log.IndexOf(line))).ToList();
        Assert.All(positions, p => Assert.True(p.at >= 0 && log.LastIndexOf(p.line) == p.at, $"'{p.line}' is not in the log once: {string.Join(" | ", log)}"));
        Assert.True(positions.Select(p => p.at).SequenceEqual(positions.Select(p => p.at).Order()), $"out of order: {string.Join(" | ", log)}");
    }

    /// <summary>An actor that is also hooks, so its start and dispose bracket the worker's hooks.</summary>
    public sealed class Journal(ConcurrentQueue<string> events) : Recorder("actor", events), IActorStartup, IDisposable
    {
        private readonly ConcurrentQueue<string> events = events;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            events.Enqueue("actor started");
            return Task.CompletedTask;
        }

        [JobFunction]
        public string Write(string text)
        {
            events.Enqueue($"ran {text}");
            return text.ToUpperInvariant();
        }

        [JobFunction]
        public void Fail() => throw new InvalidOperationException("broken");

        public void Dispose() => events.Enqueue("actor disposed");
    }

    /// <summary>Writes each hook call to the shared list; throws at the one named by <see cref="FailAt"/>.</summary>
    public class Recorder(string name, ConcurrentQueue<string> events) : IWorkerHooks
    {
        public string? FailAt { get; init; }

        public Task OnStartupAsync(CancellationToken cancellationToken) => Record("startup");

        public Task OnShutdownAsync(CancellationToken cancellationToken) => Record("shutdown");

        public Task BeforeJobAsync(JobContext context) => Record($"before {context.Function}");

        public Task AfterJobAsync(JobContext context, JobCompletion completion) =>
            Record($"after {context.Function}", $" {completion.Status} {(object?)completion.Result ?? completion.Error}");

        public override string ToString() => name;

        private Task Record(string what, string details = "")
        {
            if (what == FailAt) throw new InvalidOperationException($"{what} went wrong");
            events.Enqueue($"{name}: {what}{details}");
            return Task.CompletedTask;
        }
    }
}
