using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Arq.Diagnostics;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>Listeners see every span and measurement alone: other tests' enqueues must not gain a trace context.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>Arq's metrics and spans, read the way OpenTelemetry reads them: with a MeterListener and an ActivityListener.</summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests : WorkerTest
{
    private readonly string queue = $"telemetry-{Guid.NewGuid():N}";

    [Fact]
    public async Task Jobs_are_counted_timed_and_traced_from_enqueue_to_run_under_the_documented_names()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == ArqTelemetry.Name) listener.EnableMeasurementEvents(instrument); };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, ToDictionary(tags))));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, ToDictionary(tags))));
        meters.Start();
        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArqTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activities);

        var added = (await Client.EnqueueAsync("Calculator.Add", [1, 2], null, new EnqueueOptions { Queue = queue }))!;
        var failing = (await Client.EnqueueAsync("Calculator.Fail", ["no"], null, new EnqueueOptions { Queue = queue }))!;
        await RunBurstAsync(Fast with { Queues = [queue] });

        var ours = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("arq.queue"), queue)).ToList();
        double Sum(string instrument, string? function = null) => ours
            .Where(m => m.Instrument == instrument && (function is null || Equals(m.Tags["arq.function"], function))).Sum(m => m.Value);
        Assert.Equal(2, Sum("arq.jobs.enqueued"));
        Assert.Equal(2, Sum("arq.jobs.started"));
        Assert.Equal(1, Sum("arq.jobs.completed", "Calculator.Add"));
        Assert.Equal(1, Sum("arq.jobs.failed", "Calculator.Fail"));
        Assert.Equal("InvalidOperationException", ours.Single(m => m.Instrument == "arq.jobs.failed").Tags["error.type"]);
        Assert.Equal(0, Sum("arq.jobs.in_flight"));
        Assert.Equal(2, ours.Count(m => m.Instrument == "arq.job.duration"));
        Assert.Equal(2, ours.Count(m => m.Instrument == "arq.job.queue_wait"));

        var enqueue = Assert.Single(spans, s => s.OperationName == "enqueue Calculator.Add");
        var run = Assert.Single(spans, s => s.OperationName == "run Calculator.Add");
        Assert.Equal((ActivityKind.Producer, ActivityKind.Consumer), (enqueue.Kind, run.Kind));
        Assert.Equal(enqueue.TraceId, run.TraceId);
        Assert.Equal(enqueue.SpanId, run.ParentSpanId);
        Assert.Equal(added.Id, run.GetTagItem("arq.job.id"));
        Assert.Equal(queue, run.GetTagItem("arq.queue"));
        var failed = Assert.Single(spans, s => s.OperationName == "run Calculator.Fail");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(failing.Id, failed.GetTagItem("arq.job.id"));
    }

    [Fact]
    public async Task Without_a_trace_the_job_is_byte_for_byte_what_Python_arq_writes()
    {
        Assert.Null(Activity.Current);
        var job = (await Client.EnqueueAsync("f", [1], null, new EnqueueOptions { Queue = queue }))!;

        var message = Protocol.JobMessage.Decode((byte[])(await Redis.StringGetAsync(Protocol.ArqKeys.Job(job.Id)))!);

        Assert.Null(message.TraceParent);
        Assert.Equal(0x85, ((byte[])(await Redis.StringGetAsync(Protocol.ArqKeys.Job(job.Id)))!)[0]); // a 5-entry map
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var (key, value) in tags) map[key] = value;
        return map;
    }
}
