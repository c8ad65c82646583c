using System.Collections.Concurrent;
using Arq.Protocol;
using Arq.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Arq.Tests.Worker;

/// <summary>Retry policies in a worker: the scores it leaves in Redis by them (the delays themselves are in the pure
/// suite's RetryPolicyTests).</summary>
public sealed class RetryPolicyWorkerTests : WorkerTest
{
    [Fact]
    public async Task A_failing_job_is_deferred_by_the_policy_until_its_tries_run_out()
    {
        var exhausted = new ConcurrentQueue<(string JobId, long Try, JobError Error)>();
        Functions
            .Add("flaky", new Action(() => throw new InvalidOperationException("service down")), new JobFunctionSettings
            {
                MaxTries = 4,
                Retry = RetryPolicy.Exponential(TimeSpan.FromSeconds(10), jitter: false),
            })
            .AddHooks(new ExhaustedHook(exhausted));
        var job = (await Client.EnqueueAsync("flaky"))!;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow); // after the enqueue, so the job is due
        await using var worker = StartWorker(Fast with { Clock = clock });

        foreach (var (@try, delay) in new[] { (1, 10), (2, 20), (3, 40) })
        {
            await Until(async () => (long)await Redis.StringGetAsync(ArqKeys.Retry(job.Id)) == @try
                && !await Redis.KeyExistsAsync(ArqKeys.InProgress(job.Id)), $"try {@try} is handed back");
            var score = (long)(await Redis.SortedSetScoreAsync(ArqKeys.DefaultQueue, job.Id))!;
            Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds() + delay * 1000, score);
            clock.Advance(TimeSpan.FromSeconds(delay));
        }

        var error = await Assert.ThrowsAsync<JobFailedException>(() => job.GetResultAsync<object>(TimeSpan.FromSeconds(10)));
        Assert.Equal(new JobError("InvalidOperationException", "service down"), error.Error);
        Assert.Equal(4, (await StoredResultAsync(job.Id)).Try);
        await Until(() => Task.FromResult(!exhausted.IsEmpty), "the tries-exhausted hook ran");
        Assert.Equal([(job.Id, 4L, new JobError("InvalidOperationException", "service down"))], exhausted);
        Assert.Equal(3, (await worker.StopAsync()).Retried);
    }

    [Fact]
    public async Task Without_a_policy_a_failure_is_final_and_a_binding_error_is_never_retried()
    {
        Functions.Add("strict", (long n) => n, new JobFunctionSettings { MaxTries = 3, Retry = RetryPolicy.Fixed(TimeSpan.FromSeconds(1)) });
        var unbound = (await Client.EnqueueAsync("strict", "not a number"))!;
        var failed = (await Client.EnqueueAsync("Calculator.Fail", "no policy"))!;

        var summary = await RunBurstAsync();

        Assert.Equal(2, summary.Failed);
        Assert.Equal(0, summary.Retried);
        Assert.Equal(1, (await StoredResultAsync(unbound.Id)).Try);
        Assert.Equal(1, (await StoredResultAsync(failed.Id)).Try);
    }

    private sealed class ExhaustedHook(ConcurrentQueue<(string, long, JobError)> calls) : IWorkerHooks
    {
        public Task OnTriesExhaustedAsync(JobContext context, JobError error)
        {
            calls.Enqueue((context.JobId, context.Try, error));
            return Task.CompletedTask;
        }
    }
}
