using System.Diagnostics;
using Arq.Supervision;
using Arq.Worker;

namespace Arq.Tests.Supervision;

/// <summary>ExecutorSupervisor with a real executor process (Arq.WorkerHost in executor mode) on real Redis.</summary>
public sealed class SupervisorTests : RedisTest
{
    private static ProcessStartInfo Executor() => WorkerHostCommand.Executor();

    private ExecutorSettings Settings(bool burst = false) =>
        new() { Redis = Db.ConnectionString, Worker = new() { Burst = burst, MaxJobs = 5, LeaseTime = TimeSpan.FromSeconds(1), ShutdownDelay = TimeSpan.FromSeconds(10) } };

    private static async Task<List<ExecutorEvent>> CollectAsync(ExecutorSupervisor supervisor)
    {
        var events = new List<ExecutorEvent>();
        await foreach (var executorEvent in supervisor.Events.ReadAllAsync()) events.Add(executorEvent);
        return events;
    }

    [Fact]
    public async Task A_burst_runs_every_job_in_one_executor_and_returns_its_counts()
    {
        var jobs = new List<Job>();
        for (var i = 0; i < 20; i++) jobs.Add((await Client.EnqueueAsync("ProcessId"))!);
        var supervisor = new ExecutorSupervisor(Executor(), Settings(burst: true));

        var collecting = CollectAsync(supervisor);
        var summary = await supervisor.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var events = await collecting;

        Assert.Equal(20, summary.Complete);
        Assert.Equal(0, summary.Restarts);
        var ready = Assert.Single(events.OfType<ExecutorEvent.Ready>());
        Assert.Contains("Sleeper.Nap", ready.Functions);
        Assert.Equal(["process", "actors", "Redis"], ready.Startup.Select(step => step.Name));
        Assert.True(ready.Startup[2].At >= ready.Startup[1].At, "Redis is connected after the actors load, or at once");
        foreach (var job in jobs) Assert.Equal(ready.ProcessId, await job.GetResultAsync<int>());
        Assert.Contains(events, e => e is ExecutorEvent.Log { Level: ExecutorLogLevel.Information } log && log.Message.Contains("← "));
        Assert.Single(events.OfType<ExecutorEvent.Stopped>());
    }

    [Fact]
    public async Task A_killed_executor_is_restarted_and_every_job_completes()
    {
        var jobs = new List<Job>();
        for (var i = 0; i < 15; i++) jobs.Add((await Client.EnqueueAsync("Sleeper.Nap", 500))!);
        var supervisor = new ExecutorSupervisor(Executor(), Settings(), new SupervisorOptions { RestartDelay = TimeSpan.FromMilliseconds(100) });
        var collecting = CollectAsync(supervisor);
        var run = supervisor.RunAsync();

        await Until(async () => await Redis.HashLengthAsync("test:runs") >= 5, "the first jobs run");
        var first = supervisor.ProcessId!.Value;
        Process.GetProcessById(first).Kill(); // SIGKILL
        foreach (var job in jobs) await job.GetResultAsync(TimeSpan.FromSeconds(60));
        supervisor.Stop();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));
        var events = await collecting;

        var restart = Assert.Single(events.OfType<ExecutorEvent.Restarting>());
        Assert.NotEqual(0, restart.ExitCode);
        Assert.Equal(1, summary.Restarts);
        Assert.Equal(2, events.OfType<ExecutorEvent.Ready>().Select(r => r.ProcessId).Distinct().Count());
        Assert.DoesNotContain(first, events.OfType<ExecutorEvent.Ready>().Skip(1).Select(r => r.ProcessId));
    }

    [Fact]
    public async Task After_a_crash_beside_other_jobs_the_next_executor_runs_one_job_at_a_time_until_the_culprit_is_known()
    {
        var beside = new List<Job>();
        for (var i = 0; i < 4; i++) beside.Add((await Client.EnqueueAsync("Sleeper.Span", 400))!);
        var crasher = (await Client.EnqueueAsync("Crash", [], null, new EnqueueOptions { DeferBy = TimeSpan.FromMilliseconds(200) }))!;
        var settings = Settings() with { Worker = Settings().Worker with { MaxTries = 2, PollDelay = TimeSpan.FromMilliseconds(50) } };
        var supervisor = new ExecutorSupervisor(Executor(), settings, new SupervisorOptions { RestartDelay = TimeSpan.FromMilliseconds(100) });
        var firstDeath = new TaskCompletionSource();
        var collecting = Task.Run(async () =>
        {
            var events = new List<ExecutorEvent>();
            await foreach (var e in supervisor.Events.ReadAllAsync())
            {
                events.Add(e);
                if (e is ExecutorEvent.Restarting) firstDeath.TrySetResult();
            }
            return events;
        });
        var run = supervisor.RunAsync();

        // Jobs that were never suspects, enqueued while the crash is sorted out: one of them could be a culprit too.
        await firstDeath.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var fresh = new List<Job>();
        for (var i = 0; i < 3; i++) fresh.Add((await Client.EnqueueAsync("Sleeper.Span", 400))!);
        var heldSpans = await Task.WhenAll(beside.Select(job => job.GetResultAsync<long[]>(TimeSpan.FromSeconds(60))));
        var freshSpans = await Task.WhenAll(fresh.Select(job => job.GetResultAsync<long[]>(TimeSpan.FromSeconds(60))));
        var crasherError = (await crasher.WaitAsync(TimeSpan.FromSeconds(60))).Error?.Type;

        // Sorted out: the limit is lifted, and jobs run side by side again.
        var after = new List<Job>();
        for (var i = 0; i < 4; i++) after.Add((await Client.EnqueueAsync("Sleeper.Span", 400))!);
        var afterSpans = await Task.WhenAll(after.Select(job => job.GetResultAsync<long[]>(TimeSpan.FromSeconds(60))));
        supervisor.Stop();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));
        await collecting;

        Assert.Equal(JobErrorTypes.MaxTriesExceeded, crasherError);
        Assert.Equal(3, summary.Restarts); // once beside the others, then twice alone: convicted each time
        Assert.All(heldSpans, span => Assert.Equal(1, span[2])); // their tries were given back
        foreach (var held in heldSpans)
            Assert.All(heldSpans.Concat(freshSpans).Where(other => other != held), other => Assert.True(held[1] <= other[0] || other[1] <= held[0],
                $"a held job ran {held[0]}..{held[1]} beside another job, {other[0]}..{other[1]}"));
        Assert.True(afterSpans.Max(span => span[0]) < afterSpans.Min(span => span[1]), "once sorted out, jobs run side by side");
    }

    [Fact]
    public async Task A_graceful_stop_lets_running_jobs_finish_and_a_second_stop_kills()
    {
        var slow = (await Client.EnqueueAsync("Sleeper.Nap", 1000))!;
        var supervisor = new ExecutorSupervisor(Executor(), Settings());
        var run = supervisor.RunAsync();
        await Until(async () => await Redis.HashLengthAsync("test:runs") == 1, "the job runs");

        supervisor.Stop();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, summary.Complete);
        Assert.Equal(1, await slow.GetResultAsync<long>());

        var stuck = (await Client.EnqueueAsync("Sleeper.Nap", 60_000))!;
        var second = new ExecutorSupervisor(Executor(), Settings());
        var secondRun = second.RunAsync();
        await Until(async () => await stuck.GetStatusAsync() == JobStatus.InProgress, "the long job runs");
        var clock = Stopwatch.StartNew();
        second.Stop();
        second.Stop();
        await secondRun.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"a second stop took {clock.Elapsed} to kill the executor");
    }

    [Fact]
    public async Task An_executor_sent_SIGTERM_directly_stops_gracefully_and_is_not_restarted()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGTERM is a Unix signal");
        var job = (await Client.EnqueueAsync("Sleeper.Nap", 1000))!;
        var supervisor = new ExecutorSupervisor(Executor(), Settings());
        var collecting = CollectAsync(supervisor);
        var run = supervisor.RunAsync();
        await Until(async () => await job.GetStatusAsync() == JobStatus.InProgress, "the job runs");

        // What systemd does with KillMode=control-group: the signal reaches the executor too.
        using (var kill = Process.Start("kill", ["-TERM", supervisor.ProcessId!.Value.ToString()])) await kill.WaitForExitAsync();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));
        var events = await collecting;

        Assert.Equal(1, summary.Complete);
        Assert.Empty(events.OfType<ExecutorEvent.Restarting>());
        Assert.Equal(1, await job.GetResultAsync<long>());
    }

    [Fact]
    public async Task Actors_that_do_not_load_stop_the_supervisor_without_a_restart()
    {
        // Actors that do not load fail the same way at every start, so a restart would only repeat the failure.
        var supervisor = new ExecutorSupervisor(Executor(), Settings() with { ScriptPath = "broken.ps1" });
        var collecting = CollectAsync(supervisor);

        var error = await Assert.ThrowsAsync<ExecutorFailedException>(() => supervisor.RunAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        var events = await collecting;

        Assert.Contains("broken.ps1: this test host loads no scripts.", error.Message);
        Assert.Empty(events.OfType<ExecutorEvent.Restarting>());
    }

    [Fact]
    public void Settings_the_worker_refuses_are_refused_before_any_executor_starts()
    {
        var error = Assert.Throws<ArgumentException>(() => new ExecutorSupervisor(Executor(), Settings() with { Worker = new() { Queues = [] } }));

        Assert.StartsWith("Name at least one queue", error.Message);
    }

    [Fact]
    public async Task An_executor_that_keeps_dying_is_given_up_on()
    {
        var supervisor = new ExecutorSupervisor(Executor(), Settings() with { Redis = "127.0.0.1:1,connectTimeout=200" },
            new SupervisorOptions { MaxRestarts = 2, RestartDelay = TimeSpan.FromMilliseconds(10) });
        var collecting = CollectAsync(supervisor);

        var error = await Assert.ThrowsAsync<ExecutorFailedException>(() => supervisor.RunAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        var events = await collecting;

        Assert.Contains("died 3 times", error.Message);
        Assert.Equal(2, events.OfType<ExecutorEvent.Restarting>().Count());
        Assert.Contains(events, e => e is ExecutorEvent.Log { Level: ExecutorLogLevel.Error } log && log.Message.Contains("Cannot connect to Redis at 127.0.0.1:1"));
    }
}
