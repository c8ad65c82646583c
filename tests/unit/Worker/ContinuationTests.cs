using System.Collections.Concurrent;
using Arq.Protocol;
using Arq.Worker;
using Arq.WorkerHost;

namespace Arq.Tests.Worker;

/// <summary>Continuations (<see cref="EnqueueOptions.After"/>): a job that waits outside its queue until the jobs it
/// runs after finish, reads their results, and fails with a reason when one of them failed for good.</summary>
public sealed class ContinuationTests : WorkerTest
{
    private readonly ConcurrentDictionary<string, int> ran = new();

    private FunctionRegistry Chain() => new FunctionRegistry()
        .Add("Add", (long a, long b) => a + b)
        .Add("Fail", new Action<string>(message => throw new InvalidOperationException(message)))
        .Add("Sum", (JobContext context) =>
        {
            ran.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
            return context.Parents.Sum(parent => parent.Success ? parent.Result.Deserialize<long>() : 0);
        })
        .Add("Errors", (JobContext context) => context.Parents.Select(parent => parent.Error?.ToString() ?? "ok").ToArray());

    [Fact]
    public async Task A_continuation_waits_outside_its_queue_until_its_parents_finish_and_reads_their_results()
    {
        var first = (await Client.EnqueueAsync("Add", 1, 2))!;
        var second = (await Client.EnqueueAsync("Add", 3, 4))!;
        var sum = (await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [first.Id, second.Id] }))!;

        Assert.Equal(JobStatus.Waiting, await sum.GetStatusAsync());
        var before = await Client.GetQueue().GetInfoAsync();
        Assert.Equal((2L, 1L), (before.Queued, before.Waiting)); // the parents queued, the continuation waiting
        var waiting = Assert.Single((await Client.GetQueue().GetPageAsync(JobListing.Waiting)).Jobs);
        Assert.Equal((sum.Id, JobStatus.Waiting, "Sum"), (waiting.Job.Id, waiting.Status, waiting.Definition!.Function));
        Assert.Equal([ArqKeys.DefaultQueue], await Client.FindQueuesAsync()); // the waiting set is no queue
        var summary = await new ArqWorker(Connection, Chain(), Fast with { Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, summary.Complete);
        Assert.Equal(10L, await sum.GetResultAsync<long>(TimeSpan.FromSeconds(5)));
        Assert.Equal(0L, (await Client.GetQueue().GetInfoAsync()).Waiting);
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.DefaultQueue), "the queue is empty");
        Assert.False(await Redis.KeyExistsAsync(QueueKeys.For(ArqKeys.DefaultQueue).Children(first.Id)), "the parent's children are gone with it");
    }

    [Fact]
    public async Task A_parent_that_fails_for_good_fails_its_continuations_and_theirs_with_the_reason_without_running_them()
    {
        var parent = (await Client.EnqueueAsync("Fail", "disk full"))!;
        var child = (await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [parent.Id] }))!;
        var grandchild = (await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [child.Id] }))!;
        var any = (await Client.EnqueueAsync("Errors", [], null, new EnqueueOptions { After = [parent.Id], AfterAnyOutcome = true }))!;

        var summary = await new ArqWorker(Connection, Chain(), Fast with { Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1, 3), (summary.Complete, summary.Failed));
        var childResult = (await child.GetResultInfoAsync())!;
        Assert.Equal(JobErrorTypes.ParentFailed, childResult.Error!.Type);
        Assert.Equal($"it runs after job {parent.Id}, which failed (InvalidOperationException: disk full)", childResult.Error.Message);
        Assert.Equal($"it runs after job {child.Id}, which failed ({JobErrorTypes.ParentFailed}: it runs after job {parent.Id}, which failed (InvalidOperationException: disk full))",
            (await grandchild.GetResultInfoAsync())!.Error!.Message);
        Assert.Empty(ran); // neither ran its function
        Assert.Equal(["InvalidOperationException: disk full"], await any.GetResultAsync<string[]>(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_continuation_of_a_job_that_has_finished_is_queued_or_failed_at_once_and_one_of_an_unknown_job_is_refused()
    {
        var done = (await Client.EnqueueAsync("Add", 20, 22))!;
        var failed = (await Client.EnqueueAsync("Fail", "no"))!;
        await new ArqWorker(Connection, Chain(), Fast with { Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var afterDone = (await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [done.Id] }))!;
        var afterFailed = (await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [failed.Id] }))!;
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { JobId = "orphan", After = ["no-such-job"] }));

        Assert.Equal(JobStatus.Queued, await afterDone.GetStatusAsync());
        Assert.Contains("Job orphan cannot run after job no-such-job: that job is not waiting, queued or running, and has no kept result", refused.Message);
        Assert.Equal(JobStatus.NotFound, await Client.GetJob("orphan").GetStatusAsync()); // nothing written
        await new ArqWorker(Connection, Chain(), Fast with { Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(42L, await afterDone.GetResultAsync<long>(TimeSpan.FromSeconds(5)));
        Assert.Equal(JobErrorTypes.ParentFailed, (await afterFailed.GetResultInfoAsync())!.Error!.Type);
    }

    [Fact]
    public async Task A_continuation_added_while_its_parent_runs_is_released_by_that_parents_finish()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var functions = Chain().Add("Slow", async () => { started.TrySetResult(); await release.Task; return 5L; });
        var parent = (await Client.EnqueueAsync("Slow"))!;
        await using var worker = new RunningWorker(new ArqWorker(Connection, functions, Fast));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var children = new List<Job>();
        for (var i = 0; i < 5; i++) children.Add((await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [parent.Id] }))!);
        Assert.Equal(JobStatus.Waiting, await children[0].GetStatusAsync());
        release.SetResult();

        foreach (var child in children) Assert.Equal(5L, await child.GetResultAsync<long>(TimeSpan.FromSeconds(30)));
        Assert.All(children, child => Assert.Equal(1, ran[child.Id]));
    }

    [Fact]
    public async Task A_parent_deleted_or_cleared_leaves_the_parents_set_and_its_continuation_waiting_until_it_expires()
    {
        var deleted = (await Client.EnqueueAsync("Add", 1, 2))!;
        var cleared = (await Client.EnqueueAsync("Add", 3, 4))!;
        var orphans = new[]
        {
            (await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [deleted.Id] }))!,
            (await Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [cleared.Id] }))!,
        };
        var parents = QueueKeys.For(ArqKeys.DefaultQueue).Parents;
        Assert.Equal(2, await Redis.SetLengthAsync(parents));

        Assert.True(await deleted.DeleteAsync());
        Assert.Equal(1, await Client.GetQueue().ClearAsync());

        Assert.Equal(0, await Redis.SetLengthAsync(parents)); // finishes look nothing up again
        foreach (var orphan in orphans) Assert.Equal(JobStatus.Waiting, await orphan.GetStatusAsync());
        Assert.True(await orphans[0].DeleteAsync());
        Assert.Equal(1L, (await Client.GetQueue().GetInfoAsync()).Waiting); // a deleted continuation waits no more
    }

    [Fact]
    public async Task A_continuation_is_refused_where_it_cannot_wait_right()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { JobId = "self", After = ["self"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { AfterAnyOutcome = true }));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("Sum", [], null, new EnqueueOptions { After = [""] }));
    }

    [Fact]
    public async Task A_worker_killed_in_the_middle_of_a_chain_loses_nothing_and_runs_each_waiting_continuation_once()
    {
        // first → second → (ten siblings, third) → fourth; the worker dies while second runs.
        var first = (await Client.EnqueueAsync("Sleeper.Nap", 10))!;
        var second = (await Client.EnqueueAsync("Sleeper.Nap", [3000L], null, new EnqueueOptions { After = [first.Id] }))!;
        var third = (await Client.EnqueueAsync("Sleeper.Nap", [10L], null, new EnqueueOptions { After = [second.Id] }))!;
        var siblings = new List<Job>();
        for (var i = 0; i < 10; i++) siblings.Add((await Client.EnqueueAsync("Sleeper.Nap", [10L], null, new EnqueueOptions { After = [second.Id] }))!);
        var fourth = (await Client.EnqueueAsync("Sleeper.Nap", [10L], null, new EnqueueOptions { After = [third.Id] }))!;
        var lease = TimeSpan.FromMilliseconds(1500);
        using (var doomed = new WorkerProcess(Db.ConnectionString, lease, maxJobs: 10))
        {
            await Until(async () => await Redis.HashGetAsync("test:runs", second.Id) == 1, "the second job is running", TimeSpan.FromSeconds(30));
            doomed.KillHard();
        }

        await using (var survivor = new RunningWorker(new ArqWorker(Connection, new FunctionRegistry().AddActor(new Sleeper(Redis)), Fast with { LeaseTime = lease })))
        {
            foreach (var job in siblings.Append(fourth)) Assert.True((await job.WaitAsync(TimeSpan.FromSeconds(60))).Success);
        }

        Assert.Equal(1, (long)await Redis.HashGetAsync("test:runs", first.Id));
        Assert.Equal(2, (long)await Redis.HashGetAsync("test:runs", second.Id)); // running at the kill: it ran again
        foreach (var job in siblings.Append(third).Append(fourth))
            Assert.Equal(1, (long)await Redis.HashGetAsync("test:runs", job.Id));
    }
}
