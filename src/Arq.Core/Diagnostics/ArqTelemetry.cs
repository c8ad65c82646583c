using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Arq.Diagnostics;

/// <summary>
/// Arq's metrics and traces, on the platform's own <see cref="Meter"/> and <see cref="ActivitySource"/>, both named
/// <see cref="Name"/>: OpenTelemetry (<c>AddMeter("Arq")</c>, <c>AddSource("Arq")</c>) and <c>dotnet-counters
/// monitor --counters Arq</c> pick them up with no Arq-specific code. Every instrument is tagged with
/// <c>arq.queue</c> and <c>arq.function</c>; spans also carry <c>arq.job.id</c>. An enqueue span's context travels in
/// the job (an extra map key, <c>tp</c>, that Python arq ignores), so a job's run span is its child.
/// </summary>
public static class ArqTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Arq";

    internal const string QueueTag = "arq.queue";
    internal const string FunctionTag = "arq.function";
    internal const string JobIdTag = "arq.job.id";
    internal const string ErrorTypeTag = "error.type";

    private static readonly string? Version = typeof(ArqTelemetry).Assembly.GetName().Version?.ToString(3);

    internal static readonly ActivitySource Source = new(Name, Version);

    internal static readonly Meter Meter = new(Name, Version);

    /// <summary><c>arq.jobs.enqueued</c>: jobs this process enqueued (duplicates not counted).</summary>
    internal static readonly Counter<long> Enqueued = Meter.CreateCounter<long>("arq.jobs.enqueued", "{job}", "Jobs enqueued");

    /// <summary><c>arq.jobs.started</c>: tries that began to run.</summary>
    internal static readonly Counter<long> Started = Meter.CreateCounter<long>("arq.jobs.started", "{job}", "Tries started");

    /// <summary><c>arq.jobs.completed</c>: jobs that succeeded.</summary>
    internal static readonly Counter<long> Completed = Meter.CreateCounter<long>("arq.jobs.completed", "{job}", "Jobs that succeeded");

    /// <summary><c>arq.jobs.failed</c>: jobs that failed for good, tagged with <c>error.type</c>.</summary>
    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>("arq.jobs.failed", "{job}", "Jobs that failed for good");

    /// <summary><c>arq.jobs.retried</c>: tries that ended with the job going back to its queue.</summary>
    internal static readonly Counter<long> Retried = Meter.CreateCounter<long>("arq.jobs.retried", "{job}", "Tries that will run again");

    /// <summary><c>arq.jobs.timed_out</c>: tries stopped by their timeout (also counted as failed).</summary>
    internal static readonly Counter<long> TimedOut = Meter.CreateCounter<long>("arq.jobs.timed_out", "{job}", "Tries that timed out");

    /// <summary><c>arq.jobs.aborted</c>: jobs aborted before or while running (also counted as failed).</summary>
    internal static readonly Counter<long> Aborted = Meter.CreateCounter<long>("arq.jobs.aborted", "{job}", "Jobs aborted");

    /// <summary><c>arq.jobs.in_flight</c>: tries running now.</summary>
    internal static readonly UpDownCounter<long> InFlight = Meter.CreateUpDownCounter<long>("arq.jobs.in_flight", "{job}", "Tries running now");

    /// <summary><c>arq.job.duration</c>: how long a try ran, in seconds.</summary>
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("arq.job.duration", "s", "How long a try ran");

    /// <summary><c>arq.job.queue_wait</c>: from when a job was due to when its try started, in seconds.</summary>
    internal static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("arq.job.queue_wait", "s", "From due to start");

    internal static TagList Tags(string queue, string function) => new() { { QueueTag, queue }, { FunctionTag, function } };
}
