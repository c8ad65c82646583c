using Microsoft.Extensions.Time.Testing;
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
        Assert.StartsWith("The time zone 'Mars/Olympus' is not known on this machine; give an IANA id such as Europe/Berlin, or a fixed offset such as UTC+01:00.", zone.Message);
    }

    [Fact]
    public async Task A_schedule_follows_its_zones_summer_time_and_a_fixed_offset_keeps_its_winter_hour()
    {
        // Started in winter: 3:00 on 1 June in Berlin is 01:00 UTC (summer time), as Arq and a Python arq worker
        // given timezone=ZoneInfo('Europe/Berlin') compute it; a Python worker without timezone= keeps the winter
        // offset it started with, +01:00, and so computes 02:00 UTC: what a fixed offset gives (docs/cron.md).
        var winter = new FakeTimeProvider(new DateTimeOffset(2027, 1, 15, 12, 0, 0, TimeSpan.Zero));
        var functions = new FunctionRegistry()
            .AddCron("berlin", "0 3 1 6 *", () => { }, new CronOptions { TimeZone = CronOptions.FindTimeZone("Europe/Berlin"), RunAtStartup = true })
            .AddCron("fixed", "0 3 1 6 *", () => { }, new CronOptions { TimeZone = CronOptions.FindTimeZone("UTC+01:00"), RunAtStartup = true });

        await new ArqWorker(Connection, functions, Fast with { Burst = true, Clock = winter }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var next = (await Client.GetQueue(ArqKeys.DefaultQueue).GetCronJobsAsync()).ToDictionary(c => c.Name, c => c.NextRun);
        Assert.Equal(new DateTimeOffset(2027, 6, 1, 1, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), next["cron:berlin"]);
        Assert.Equal(new DateTimeOffset(2027, 6, 1, 2, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), next["cron:fixed"]);
        Assert.Equal("cron:berlin:1811811600123", functions.CronJobs.Single(c => c.Name == "cron:berlin").JobId(next["cron:berlin"]!.Value));
        Assert.Equal("cron:fixed:1811815200123", functions.CronJobs.Single(c => c.Name == "cron:fixed").JobId(next["cron:fixed"]!.Value));
        Assert.Equal("UTC-05:30", CronOptions.FindTimeZone("-05:30").Id);
        Assert.Equal(TimeSpan.FromHours(-5.5), CronOptions.FindTimeZone("utc-05:30").BaseUtcOffset);
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
        // Refused for 60 s after the run, where arq's enqueue_job would take it (docs/interop.md, "What differs").
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
