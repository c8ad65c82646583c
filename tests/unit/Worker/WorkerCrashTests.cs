using Arq.Protocol;
using Arq.Worker;
using Arq.WorkerHost;

namespace Arq.Tests.Worker;

/// <summary>Crash safety and scale-out, with workers in processes of their own.</summary>
public sealed class WorkerCrashTests : WorkerTest
{
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task Jobs_of_a_worker_killed_with_SIGKILL_complete_on_another_worker_within_the_lease_time()
    {
        var jobs = new List<Job>();
        for (var i = 0; i < 10; i++) jobs.Add((await Client.EnqueueAsync("Sleeper.Nap", 3000))!);
        using (var doomed = new WorkerProcess(Db.ConnectionString, Lease, maxJobs: 10))
        {
            var inProgress = jobs.Select(job => ArqKeys.InProgress(job.Id)).ToArray();
            await Until(async () => await Redis.KeyExistsAsync(inProgress) == 10 && await Redis.HashLengthAsync("test:runs") == 10,
                "all ten jobs are claimed and running");
            doomed.KillHard();
        }
        var killedAt = NowMs();

        var functions = new FunctionRegistry().AddActor(new Sleeper(Redis));
        await using (var survivor = new RunningWorker(new ArqWorker(Connection, functions, Fast with { LeaseTime = Lease })))
        {
            foreach (var job in jobs) Assert.Equal(2, await job.GetResultAsync<long>(TimeSpan.FromSeconds(30)));
        }

        foreach (var job in jobs)
        {
            var result = await StoredResultAsync(job.Id);
            Assert.True(result.StartTimeMs - killedAt <= Lease.TotalMilliseconds + 500,
                $"job {job.Id} restarted {result.StartTimeMs - killedAt} ms after the kill; the lease is {Lease.TotalMilliseconds} ms");
            Assert.Equal(2, (long)await Redis.HashGetAsync("test:runs", job.Id)); // in flight at the kill, so it ran twice
        }
    }

    [Fact]
    public async Task Two_workers_share_a_queue_of_1000_jobs_and_run_each_once()
    {
        var jobs = new List<Job>();
        for (var i = 0; i < 1000; i++) jobs.Add((await Client.EnqueueAsync("Sleeper.Nap", 10))!);

        using var first = new WorkerProcess(Db.ConnectionString, TimeSpan.FromSeconds(15), maxJobs: 5, burst: true);
        using var second = new WorkerProcess(Db.ConnectionString, TimeSpan.FromSeconds(15), maxJobs: 5, burst: true);
        var summaries = new[] { await first.ExitAsync(), await second.ExitAsync() };

        var runs = await Redis.HashGetAllAsync("test:runs");
        Assert.Equal(1000, runs.Length);
        Assert.All(runs, run => Assert.Equal(1, (long)run.Value));
        foreach (var job in jobs) Assert.True((await StoredResultAsync(job.Id)).Success);
        var completed = summaries.Select(s => long.Parse(s.Split(' ')[0])).ToArray();
        Assert.Equal(1000, completed.Sum());
        Assert.All(completed, count => Assert.True(count > 0, $"a worker ran no job: {string.Join(" | ", summaries)}"));
        Assert.Equal(0, await Redis.SortedSetLengthAsync(ArqKeys.DefaultQueue));
    }
}
