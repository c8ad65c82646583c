using Arq.Protocol;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Tests.Worker;

/// <summary>Cron jobs: schedules computed by Cronos, arq's job ids, and each run once however many workers.</summary>
public sealed class CronTests : WorkerTest
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Runs_follow_the_schedule_in_its_time_zone_at_arqs_123456_microseconds_past_the_second()
    {
        var berlin = CronOptions.FindTimeZone("Europe/Berlin");
        var registry = new FunctionRegistry()
            .AddCron("nightly", "0 3 * * *", () => { }, new CronOptions { TimeZone = berlin })
            .AddCron("often", "*/10 * * * * *", () => { }, new CronOptions { TimeZone = TimeZoneInfo.Utc });
        var (nightly, often) = (registry.CronJobs[0], registry.CronJobs[1]);

        Assert.Equal("cron:nightly", nightly.Name);
        Assert.Contains("cron:often", registry.Names);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), nightly.NextRun(Noon));
        Assert.Equal(Noon.AddTicks(1_234_560), often.NextRun(Noon));
        Assert.Equal(Noon.AddSeconds(10).AddTicks(1_234_560), often.NextRun(Noon.AddTicks(1_234_560)));
        Assert.Equal($"cron:often:{Noon.ToUnixTimeMilliseconds() + 123}", often.JobId(Noon.AddTicks(1_234_560)));
    }

    [Fact]
    public void A_bad_schedule_or_time_zone_is_refused_at_registration_with_a_clear_error()
    {
        var schedule = Assert.Throws<ArgumentException>(() => new FunctionRegistry().AddCron("broken", "61 * * * *", () => { }));
        var zone = Assert.Throws<ArgumentException>(() => CronOptions.FindTimeZone("Mars/Olympus"));

        Assert.StartsWith("The cron job cron:broken has an invalid schedule '61 * * * *':", schedule.Message);
        Assert.StartsWith("The time zone 'Mars/Olympus' is not known on this machine.", zone.Message);
    }

    [Fact]
    public async Task A_cron_actor_method_runs_at_startup_keeps_no_result_and_publishes_its_next_run()
    {
        var functions = new FunctionRegistry().AddActor(new Maintenance(Redis));
        var started = DateTimeOffset.UtcNow;

        await new ArqWorker(Connection, functions, Fast with { Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var ids = (await Redis.ListRangeAsync("maintenance")).Select(v => (string)v!).ToList();
        var id = Assert.Single(ids);
        Assert.Matches(@"^cron:Maintenance\.Nightly:\d{13}$", id);
        Assert.InRange(long.Parse(id.Split(':')[2]), started.ToUnixTimeMilliseconds(), NowMs());
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Result(id)), "a cron job keeps no result by default");
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Job(id)));
        Assert.InRange(await PttlAsync(ArqKeys.InProgress(id)), 50_000, 60_000); // arq keeps it for 60 s
        Assert.Null(await Client.EnqueueAsync("cron:Maintenance.Nightly", [], null, new EnqueueOptions { JobId = id }));

        var info = Assert.Single(await Client.GetQueue(ArqKeys.DefaultQueue).GetCronJobsAsync());
        Assert.Equal(new CronJobInfo("cron:Maintenance.Nightly", "0 0 1 1 *", "UTC", new DateTimeOffset(started.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560)), info);
    }

    [Fact]
    public async Task Three_workers_on_one_queue_run_each_tick_of_a_per_second_cron_exactly_once()
    {
        var connections = new List<ConnectionMultiplexer>();
        var workers = new List<RunningWorker>();
        for (var i = 0; i < 3; i++)
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(Db.ConnectionString);
            connections.Add(connection);
            var database = connection.GetDatabase();
            var functions = new FunctionRegistry().AddCron("tick", "* * * * * *", (JobContext job) => database.ListRightPushAsync("ticks", job.JobId));
            workers.Add(new RunningWorker(new ArqWorker(connection, functions, Fast)));
        }

        await Until(async () => await Redis.ListLengthAsync("ticks") >= 10, "ten ticks ran", TimeSpan.FromSeconds(30));
        foreach (var worker in workers) await worker.StopAsync();
        foreach (var connection in connections) await connection.DisposeAsync();

        var ids = (await Redis.ListRangeAsync("ticks")).Select(v => (string)v!).ToList();
        Assert.Equal(ids.Distinct(), ids); // no tick ran twice
        var times = ids.Select(id => long.Parse(id["cron:tick:".Length..])).Order().ToList();
        Assert.All(times, t => Assert.Equal(123, t % 1000));
        Assert.Equal(Enumerable.Range(0, times.Count).Select(i => times[0] + i * 1000L), times); // and none was missed
        foreach (var id in ids) Assert.True(await Redis.KeyExistsAsync(ArqKeys.InProgress(id)), $"{id}: the in-progress key should outlive the run");
    }

    public sealed class Maintenance(IDatabase redis)
    {
        [Cron("0 0 1 1 *", RunAtStartup = true, TimeZone = "UTC")]
        public Task Nightly(JobContext job) => redis.ListRightPushAsync("maintenance", job.JobId);
    }
}
