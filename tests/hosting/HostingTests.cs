using System.Collections.Concurrent;
using System.Diagnostics;
using Arq.Hosting;
using Arq.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arq.Tests.Hosting;

/// <summary>AddArqClient and AddArqWorker the way Program.cs uses them: a host from Host.CreateApplicationBuilder,
/// settings from configuration, actors made by the container, on a real redis-server.</summary>
public sealed class HostingTests : HostedRedis
{
    /// <summary>A service of the application's that an actor takes by injection.</summary>
    public sealed class Greetings
    {
        public string Word { get; init; } = "hello";
    }

    /// <summary>Counts what the container made and disposed, to tell one-per-worker from one-per-job.</summary>
    public sealed class Ledger
    {
        public int ActorsMade;
        public ConcurrentBag<Guid> ScopesUsed { get; } = [];
        public ConcurrentBag<Guid> ScopesDisposed { get; } = [];
    }

    /// <summary>A scoped service, as a database context is: one per job.</summary>
    public sealed class UnitOfWork(Ledger ledger) : IDisposable
    {
        public Guid Id { get; } = Guid.NewGuid();

        public void Dispose() => ledger.ScopesDisposed.Add(Id);
    }

    public sealed class Greeter
    {
        private readonly Greetings greetings;
        private readonly Ledger ledger;

        public Greeter(Greetings greetings, Ledger ledger)
        {
            this.greetings = greetings;
            this.ledger = ledger;
            Interlocked.Increment(ref ledger.ActorsMade);
        }

        [JobFunction]
        public string Greet(string name) => $"{greetings.Word} {name}";

        [JobFunction]
        public string Save(string name, JobContext context)
        {
            var work = context.Services!.GetRequiredService<UnitOfWork>();
            Assert.Same(work, context.Services!.GetRequiredService<UnitOfWork>()); // one per job, whoever asks
            ledger.ScopesUsed.Add(work.Id);
            return work.Id.ToString();
        }

        [JobFunction]
        public async Task<string> Linger(CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
            return "finished";
        }
    }

    /// <summary>An actor that asks for a scoped service in its constructor: it lives as long as the worker, so the
    /// container must refuse.</summary>
    public sealed class Greedy(UnitOfWork work)
    {
        [JobFunction]
        public Guid Work() => work.Id;
    }

    private IHost BuildHost(Action<HostApplicationBuilder>? configure = null, params (string, string)[] settings)
    {
        var builder = CreateBuilder(settings);
        builder.Services.AddSingleton(new Greetings { Word = "hej" });
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddScoped<UnitOfWork>();
        builder.Services.AddArqWorker().AddActor<Greeter>();
        configure?.Invoke(builder);
        return builder.Build();
    }

    [Fact]
    public async Task A_worker_in_a_host_runs_actors_the_container_made_once_with_the_services_they_take()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IArqClient>();

        var jobs = await Task.WhenAll(new[] { "ann", "bob", "cy" }.Select(name => client.EnqueueAsync<Greeter>(g => g.Greet(name))));

        foreach (var (job, name) in jobs.Zip(new[] { "ann", "bob", "cy" }))
            Assert.Equal($"hej {name}", await job!.GetResultAsync<string>(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, host.Services.GetRequiredService<Ledger>().ActorsMade);
        Assert.Same(client, host.Services.GetRequiredService<ArqClient>());
        await host.StopAsync();
    }

    [Fact]
    public async Task Each_job_gets_a_scope_of_its_own_disposed_when_it_ends()
    {
        using var host = BuildHost();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IArqClient>();
        var ledger = host.Services.GetRequiredService<Ledger>();

        var jobs = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => client.EnqueueAsync<Greeter>(g => g.Save($"n{i}", null!))));
        var ids = await Task.WhenAll(jobs.Select(job => job!.GetResultAsync<string>(TimeSpan.FromSeconds(10))));

        Assert.Equal(5, ids.Distinct().Count());
        await Eventually.Until(() => ledger.ScopesDisposed.Count == 5, "every job's scope disposed");
        Assert.Equal(ledger.ScopesUsed.Order(), ledger.ScopesDisposed.Order());
        await host.StopAsync();
    }

    [Fact]
    public async Task An_actor_that_takes_a_scoped_service_stops_the_host_with_an_error_that_says_so()
    {
        using var host = BuildHost(builder => builder.Services.AddArqWorker().AddActor<Greedy>());

        await host.StartAsync();
        var worker = host.Services.GetRequiredService<IEnumerable<IHostedService>>().OfType<BackgroundService>().Single();
        var failure = await Assert.ThrowsAsync<ArqException>(() => worker.ExecuteTask!);

        Assert.Contains("Greedy failed to start", failure.Message);
        Assert.Contains("scoped service", failure.Message);
    }

    [Theory]
    [InlineData("Arq:Worker:MaxJobs", "0", "Arq:Worker:MaxJobs: MaxJobs must be at least 1, but is 0.")]
    [InlineData("Arq:Worker:LeaseTime", "00:00:00.1", "Arq:Worker:LeaseTime: LeaseTime must be at least 300 ms")]
    [InlineData("Arq:Redis", "redis://:sekret@[not-a-host", "Arq:Redis: the connection string is not a valid")]
    [InlineData("Arq:DefaultQueue", " ", "Arq:DefaultQueue must name a queue.")]
    [InlineData("Arq:Worker:RateLimit", "fast", "Arq:Worker:RateLimit: 'fast' is not a rate limit")]
    [InlineData("Arq:Worker:KeepFailed", "-1", "Arq:Worker:KeepFailed: KeepFailed must be 0 (keep none) or positive, but is -1.")]
    public async Task A_wrong_setting_stops_the_host_at_start_with_an_error_that_names_it(string key, string value, string error)
    {
        using var host = BuildHost(null, (key, value));

        var thrown = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error, thrown.Message);
        Assert.DoesNotContain("sekret", thrown.Message);
    }

    [Fact]
    public void Settings_in_code_win_over_configuration_and_the_worker_reads_its_own_section()
    {
        using var host = BuildHost(builder =>
        {
            builder.Services.AddArqClient(o => o.DefaultQueue = "from-code");
            builder.Services.AddArqWorker(o => o.MaxTries = 2);
        }, ("Arq:DefaultQueue", "from-file"), ("Arq:Worker:MaxJobs", "3"), ("Arq:Worker:MaxTries", "9"), ("Arq:Worker:Queues:0", "high"), ("Arq:Worker:Queues:1", "low"),
            ("Arq:Worker:RateLimit", "100/min"), ("Arq:Worker:KeepFailedFor", "2.00:00:00"));

        Assert.Equal("from-code", host.Services.GetRequiredService<IArqClient>().Options.DefaultQueue);
        var worker = host.Services.GetRequiredService<IOptions<ArqWorkerServiceOptions>>().Value;
        Assert.Equal((3, 2), (worker.MaxJobs, worker.MaxTries));
        Assert.Equal("100/min", worker.RateLimit);
        Assert.Equal(TimeSpan.FromDays(2), worker.KeepFailedFor);
        Assert.Equal(["high", "low"], worker.Queues);
    }

    [Fact]
    public async Task The_worker_logs_through_the_hosts_logging_and_keeps_the_containers_time()
    {
        var clock = new ShiftedClock(TimeSpan.FromDays(-3));
        var logged = new ConcurrentQueue<string>();
        using var host = BuildHost(builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Logging.AddProvider(new ListLogger(logged));
        });
        await host.StartAsync();

        var job = (await host.Services.GetRequiredService<IArqClient>().EnqueueAsync<Greeter>(g => g.Greet("eve")))!;
        var result = await job.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Same(clock, host.Services.GetRequiredService<IArqClient>().Options.Clock);
        Assert.InRange(result.EnqueueTime, clock.GetUtcNow().AddMinutes(-1), clock.GetUtcNow()); // three days ago, by the container's clock
        Assert.Contains(logged, line => line.StartsWith("Arq.Worker.ArqWorker: Starting worker for", StringComparison.Ordinal));
        await host.StopAsync();
    }

    /// <summary>The system's time, shifted: a clock of the application's own.</summary>
    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }

    /// <summary>A logging provider that keeps "category: message" lines.</summary>
    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }

    [Fact]
    public async Task The_hosts_stop_hands_unfinished_jobs_back_within_its_shutdown_timeout()
    {
        using var host = BuildHost(builder => builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(7)),
            ("Arq:Worker:ShutdownDelay", "00:01:00"));
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IArqClient>();
        var job = (await client.EnqueueAsync<Greeter>(g => g.Linger(CancellationToken.None)))!;
        await Eventually.Until(async () => await job.GetStatusAsync() == JobStatus.InProgress, "the job running");

        var stopping = Stopwatch.StartNew();
        await host.StopAsync();

        // The minute's shutdown delay is held to the host's 7 s, less the hand-back's time: the job goes back to its
        // queue, not lost and not left to a lapsing lease.
        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(7));
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
    }

    [Fact]
    public async Task A_burst_worker_stops_its_host_once_the_queue_is_empty()
    {
        using var host = BuildHost(null, ("Arq:Worker:Burst", "true"));
        var client = host.Services.GetRequiredService<IArqClient>();
        var job = await client.EnqueueAsync<Greeter>(g => g.Greet("dee"));

        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // The host closed its connection as it ended; the result is read on one of the test's own.
        await using var reader = await ArqClient.ConnectAsync(Db.Url);
        Assert.Equal("hej dee", await reader.GetJob(job!.Id).GetResultAsync<string>(TimeSpan.Zero));
    }
}
