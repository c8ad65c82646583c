using Arq.Worker;

namespace Arq.Tests.Worker;

[CollectionDefinition(nameof(RateLimitTests), DisableParallelization = true)]
public sealed class RateLimitTestsCollection;

/// <summary>Rate limits, kept in Redis and applied in the claim: every worker of a queue together starts at most the
/// limit's jobs in any window of its period, and a job held back spends no try. Alone, not beside other tests: the
/// starts are timed in the workers, which other tests' load would delay.</summary>
[Collection(nameof(RateLimitTests))]
public sealed class RateLimitTests : WorkerTest
{
    /// <summary>How much later than its claim a job may start in its worker (a claim is counted in Redis, a start
    /// is timed by the worker), and so how much shorter than the period a window of starts is checked over.</summary>
    private const long StartSkewMs = 200;

    [Fact]
    public async Task Three_worker_processes_together_keep_to_the_queues_limit_and_spend_no_try_on_jobs_held_back()
    {
        var limit = RateLimit.Parse("10/500ms");
        var jobs = new List<Job>();
        for (var i = 0; i < 60; i++) jobs.Add((await Client.EnqueueAsync("Echo", i))!);

        using var first = new WorkerProcess(Db.ConnectionString, TimeSpan.FromSeconds(15), maxJobs: 10, burst: true, rateLimit: limit.ToString());
        using var second = new WorkerProcess(Db.ConnectionString, TimeSpan.FromSeconds(15), maxJobs: 10, burst: true, rateLimit: limit.ToString());
        using var third = new WorkerProcess(Db.ConnectionString, TimeSpan.FromSeconds(15), maxJobs: 10, burst: true, rateLimit: limit.ToString());
        var summaries = new[] { await first.ExitAsync(), await second.ExitAsync(), await third.ExitAsync() };

        var results = new List<Protocol.ResultMessage>();
        foreach (var job in jobs) results.Add(await StoredResultAsync(job.Id));
        Assert.All(results, result => Assert.True(result.Success));
        Assert.All(results, result => Assert.Equal(1, result.Try)); // held back, not tried and retried
        var starts = results.Select(r => r.StartTimeMs).Order().ToArray();
        AssertWithinLimit(starts, limit);
        // Ten start at once, then ten as each window passes: the last ten at 2.5 s. Well below the limit would mean
        // the workers wait longer than the limit asks.
        var span = starts[^1] - starts[0];
        var achieved = (starts.Length - limit.Count) * 1000.0 / span;
        System.IO.File.AppendAllText("/tmp/rate.txt", $"\n{starts.Length} jobs over {span} ms: {achieved:F1} jobs/s after the first window, limit {limit} (20 jobs/s); {string.Join(" | ", summaries)}");
        Assert.True(achieved >= 20 * 0.6, $"the three workers ran {achieved:F1} jobs/s under a limit of 20 jobs/s");
    }

    [Fact]
    public async Task A_functions_limit_holds_back_only_its_own_jobs()
    {
        var functions = new FunctionRegistry().AddActor<Mailer>();
        var send = new List<Job>();
        var log = new List<Job>();
        for (var i = 0; i < 12; i++)
        {
            send.Add((await Client.EnqueueAsync("Mailer.Send", i))!);
            log.Add((await Client.EnqueueAsync("Mailer.Log", i))!);
        }

        var summary = await new ArqWorker(Connection, functions, Fast with { MaxJobs = 30, Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(24, summary.Complete);
        var sent = new List<Protocol.ResultMessage>();
        foreach (var job in send) sent.Add(await StoredResultAsync(job.Id));
        var logged = new List<Protocol.ResultMessage>();
        foreach (var job in log) logged.Add(await StoredResultAsync(job.Id));
        Assert.All(sent.Concat(logged), result => Assert.Equal(1, result.Try));
        var sendStarts = sent.Select(r => r.StartTimeMs).Order().ToArray();
        AssertWithinLimit(sendStarts, RateLimit.Parse(Mailer.Limit));
        // The unlimited function's jobs, queued between the limited ones, all ran in the first window.
        Assert.True(logged.Max(r => r.StartTimeMs) < sendStarts[4], "Mailer.Log waited behind Mailer.Send's limit");
        Assert.Equal([Protocol.ArqKeys.DefaultQueue], await Client.FindQueuesAsync()); // the windows' sorted sets are no queues
    }

    [Fact]
    public void A_rate_limit_that_does_not_read_stops_the_registration_and_says_what_is_expected()
    {
        var error = Assert.Throws<ArgumentException>(() => new FunctionRegistry().AddActor<Hasty>());
        Assert.Contains("'fast'", error.Message);
        Assert.Contains("10/s", error.Message);
    }

    /// <summary>Asserts that the starts keep to the limit: the start <c>Count</c> after any other is at least a period
    /// (less the start skew) later.</summary>
    private static void AssertWithinLimit(long[] sortedStarts, RateLimit limit)
    {
        var period = (long)limit.Period.TotalMilliseconds;
        for (var i = 0; i + limit.Count < sortedStarts.Length; i++)
        {
            var gap = sortedStarts[i + limit.Count] - sortedStarts[i];
            Assert.True(gap >= period - StartSkewMs,
                $"starts {i} and {i + limit.Count} are {gap} ms apart: {limit.Count + 1} jobs started within {period} ms under a limit of {limit}");
        }
    }

    public sealed class Mailer
    {
        public const string Limit = "4/400ms";

        [JobFunction(RateLimit = Limit)]
        public long Send(long n) => n;

        [JobFunction]
        public long Log(long n) => n;
    }

    public sealed class Hasty
    {
        [JobFunction(RateLimit = "fast")]
        public long Run(long n) => n;
    }
}
