using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Arq.Tests.Hosting;

/// <summary>AddHealthChecks().AddArq() and AddArqInstrumentation() as a service wires them.</summary>
public sealed class HealthAndTelemetryTests : HostedRedis
{
    private static async Task<HealthReport> CheckAsync(IHost host) =>
        await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    [Fact]
    public async Task A_running_worker_and_its_redis_are_healthy()
    {
        var builder = CreateBuilder();
        builder.Services.AddArqWorker().AddFunction("ping", () => "pong");
        builder.Services.AddHealthChecks().AddArq(tags: ["ready"]);
        using var host = builder.Build();
        await host.StartAsync();

        await Eventually.Until(async () => (await CheckAsync(host)).Status == HealthStatus.Healthy, "the checks healthy");

        var report = await CheckAsync(host);
        Assert.StartsWith("Redis at ", report.Entries[ArqHealthChecksBuilderExtensions.RedisCheckName].Description);
        var worker = report.Entries[ArqHealthChecksBuilderExtensions.WorkerCheckName];
        Assert.Contains("read its queues", worker.Description);
        Assert.Equal(["ready"], worker.Tags);
        await host.StopAsync();
    }

    [Fact]
    public async Task Redis_out_of_reach_is_unhealthy_and_the_report_names_the_endpoint_not_the_password()
    {
        var port = RedisTestServer.FreePort();
        var builder = CreateBuilder(("Arq:Redis", $"127.0.0.1:{port},password=sekret,connectTimeout=300"));
        builder.Services.AddArqClient();
        builder.Services.AddHealthChecks().AddArq();
        using var host = builder.Build();

        var report = await CheckAsync(host);

        var redis = report.Entries[ArqHealthChecksBuilderExtensions.RedisCheckName];
        Assert.Equal(HealthStatus.Unhealthy, redis.Status);
        Assert.Contains($"127.0.0.1:{port}", redis.Description);
        Assert.DoesNotContain("sekret", redis.Description);
        Assert.Equal("No Arq worker runs in this host.", report.Entries[ArqHealthChecksBuilderExtensions.WorkerCheckName].Description);
    }

    [Fact]
    public async Task A_worker_that_failed_to_start_is_unhealthy_with_the_reason()
    {
        var builder = CreateBuilder();
        builder.Services.AddArqWorker().AddFunction("ping", () => "pong")
            .ConfigureFunctions((functions, _) => functions.AddActor(typeof(Unstartable), () => throw new InvalidOperationException("no licence key")));
        builder.Services.AddHealthChecks().AddArq();
        using var host = builder.Build();
        await host.StartAsync();

        await Eventually.Until(async () => (await CheckAsync(host)).Entries[ArqHealthChecksBuilderExtensions.WorkerCheckName].Status == HealthStatus.Unhealthy, "the worker unhealthy");

        Assert.Contains("no licence key", (await CheckAsync(host)).Entries[ArqHealthChecksBuilderExtensions.WorkerCheckName].Description);
    }

    public sealed class Unstartable
    {
        [Worker.JobFunction]
        public void Run()
        {
        }
    }

    [Fact]
    public async Task The_instrumentation_records_an_enqueue_and_its_run_as_one_trace_and_counts_the_job()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddArqInstrumentation().AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddArqInstrumentation().AddInMemoryExporter(metrics).Build();
        var function = $"traced-{Guid.NewGuid():N}";
        var builder = CreateBuilder();
        builder.Services.AddArqWorker().AddFunction(function, (int n) => n + 1);
        using var host = builder.Build();
        await host.StartAsync();

        var job = (await host.Services.GetRequiredService<IArqClient>().EnqueueAsync(function, 41))!;
        Assert.Equal(42, await job.GetResultAsync<int>(TimeSpan.FromSeconds(10)));
        await host.StopAsync();
        tracing.ForceFlush();
        metering.ForceFlush();

        List<Activity> Mine() { lock (spans) return spans.Where(s => (string?)s.GetTagItem("arq.job.id") == job.Id).ToList(); }
        await Eventually.Until(() => Mine().Count == 2, "both spans exported");
        var enqueue = Assert.Single(Mine(), s => s.Kind == ActivityKind.Producer);
        var run = Assert.Single(Mine(), s => s.Kind == ActivityKind.Consumer);
        Assert.Equal($"enqueue {function}", enqueue.DisplayName);
        Assert.Equal((enqueue.TraceId, enqueue.SpanId), (run.TraceId, run.ParentSpanId));
        var completed = metrics.Where(m => m.Name == "arq.jobs.completed").SelectMany(Points)
            .Where(p => Tag(p, "arq.function") == function).Sum(p => p.GetSumLong());
        Assert.Equal(1, completed);
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value as string;
        return null;
    }

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints()) yield return point;
    }
}
