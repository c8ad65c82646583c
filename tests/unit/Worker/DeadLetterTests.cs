using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>Dead letters: jobs that failed for good are kept beyond their results' lifetime, listed newest first,
/// trimmed by count and age, and submitted again with their original arguments.</summary>
public sealed class DeadLetterTests : WorkerTest
{
    private static readonly ArqWorkerOptions Burst = Fast with { Burst = true, MaxTries = 1 };
    private int calls;

    private FunctionRegistry Flaky() => new FunctionRegistry()
        .Add("Flaky", (long n, string word) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException($"{word} {n} failed") : n * 2);

    [Fact]
    public async Task A_job_that_failed_for_good_is_kept_without_its_result_listed_and_submitted_again_with_its_arguments()
    {
        var job = (await Client.EnqueueAsync("Flaky", [21L], new Dictionary<string, object?> { ["word"] = "try" }))!;
        await new ArqWorker(Connection, Flaky(), Burst with { KeepResult = TimeSpan.Zero }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var queue = Client.GetQueue();

        Assert.Equal(JobStatus.NotFound, await job.GetStatusAsync()); // no result kept
        var failed = await queue.GetPageAsync(JobListing.Failed);
        var dead = Assert.IsType<JobResult>(Assert.Single(failed.Jobs).Definition);
        Assert.Equal((job.Id, "Flaky", false), (dead.JobId, dead.Function, dead.Success));
        Assert.Equal("InvalidOperationException: try 21 failed", dead.Error!.ToString());
        Assert.Equal(21L, dead.Args[0].Deserialize<long>());
        Assert.Equal("try", dead.Kwargs["word"].Deserialize<string>());
        Assert.Equal(dead.Error, (await queue.GetFailedJobAsync(job.Id))!.Error);

        var again = await queue.RetryFailedJobAsync(job.Id);

        Assert.Equal(job.Id, again!.Id);
        Assert.Equal(JobStatus.Queued, await again.GetStatusAsync());
        Assert.Equal(0L, (await queue.GetPageAsync(JobListing.Failed)).Total);
        Assert.Null(await queue.RetryFailedJobAsync(job.Id)); // no dead letter any more
        Assert.Null(await queue.GetFailedJobAsync(job.Id));
        await new ArqWorker(Connection, Flaky(), Burst).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var result = (await again.GetResultInfoAsync())!;
        Assert.Equal((true, 1L), (result.Success, result.Try)); // tries count from one again
        Assert.Equal(42L, result.Result.Deserialize<long>());
    }

    [Fact]
    public async Task Dead_letters_are_trimmed_to_their_count_and_age_oldest_first()
    {
        var functions = new FunctionRegistry().Add("Fail", (long n) => n < 0 ? n : throw new InvalidOperationException($"no {n}"));
        var old = await EnqueueFailuresAsync(0, 2);
        await new ArqWorker(Connection, functions, Burst).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var recent = await EnqueueFailuresAsync(2, 6);

        // A day later, by the clock of the worker that fails the next ones.
        var later = Burst with { KeepFailed = 3, KeepFailedFor = TimeSpan.FromHours(1), MaxJobs = 1, Clock = new ShiftedClock(TimeSpan.FromDays(1)) };
        await new ArqWorker(Connection, functions, later).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var kept = (await Client.GetQueue().GetPageAsync(JobListing.Failed)).Jobs.Select(j => j.Job.Id).ToList();
        Assert.Equal(3, kept.Count); // the day-old ones went by age, one of the four recent ones by count
        Assert.DoesNotContain(old[0], kept);
        Assert.DoesNotContain(old[1], kept);
        Assert.Subset(recent.ToHashSet(), kept.ToHashSet()); // which one went by count depends on the millisecond each failed in
        Assert.Equal([Protocol.ArqKeys.DefaultQueue], await Client.FindQueuesAsync()); // the dead letters' index is no queue
    }

    [Fact]
    public async Task A_worker_that_keeps_no_dead_letters_leaves_the_failed_listing_to_the_latest_failures()
    {
        var job = (await Client.EnqueueAsync("Flaky", 1L, "x"))!;
        await new ArqWorker(Connection, Flaky(), Burst with { KeepFailed = 0 }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var failed = await Client.GetQueue().GetPageAsync(JobListing.Failed);

        Assert.Equal(job.Id, Assert.Single(failed.Jobs).Job.Id);
        Assert.Null(await Client.GetQueue().RetryFailedJobAsync(job.Id));
    }

    [Fact]
    public async Task A_dead_letter_whose_id_is_queued_again_is_not_submitted_twice()
    {
        var job = (await Client.EnqueueAsync("Flaky", 1L, "x"))!;
        await new ArqWorker(Connection, Flaky(), Burst with { KeepResult = TimeSpan.Zero }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Client.EnqueueAsync("Flaky", [2L, "y"], null, new EnqueueOptions { JobId = job.Id });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Client.GetQueue().RetryFailedJobAsync(job.Id));

        Assert.Contains($"Job {job.Id} is queued or running", refused.Message);
    }

    private async Task<List<string>> EnqueueFailuresAsync(int from, int to)
    {
        var ids = new List<string>();
        for (var n = from; n < to; n++) ids.Add((await Client.EnqueueAsync("Fail", (long)n))!.Id);
        return ids;
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
