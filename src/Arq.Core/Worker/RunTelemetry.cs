using System.Diagnostics;
using Arq.Diagnostics;
using Arq.Protocol;

namespace Arq.Worker;

/// <summary>
/// The metrics and the span of one try: started, in flight, queue wait and duration, and what it ended as. The span
/// is the child of the enqueue's when the job carries its trace context.
/// </summary>
internal sealed class RunTelemetry
{
    private readonly Activity? activity;
    private readonly TagList tags;
    private readonly long started;
    private readonly TimeProvider clock = TimeProvider.System;

    private RunTelemetry(ClaimedJob claim, JobMessage job, long nowMs, TimeProvider clock)
    {
        this.clock = clock;
        started = clock.GetTimestamp();
        tags = ArqTelemetry.Tags(claim.Queue, job.Function);
        ActivityContext.TryParse(job.TraceParent, null, isRemote: true, out var parent);
        activity = ArqTelemetry.Source.StartActivity($"run {job.Function}", ActivityKind.Consumer, parent);
        activity?.SetTag(ArqTelemetry.JobIdTag, claim.JobId).SetTag(ArqTelemetry.QueueTag, claim.Queue).SetTag(ArqTelemetry.FunctionTag, job.Function);
        ArqTelemetry.Started.Add(1, tags);
        ArqTelemetry.InFlight.Add(1, tags);
        ArqTelemetry.QueueWait.Record(Math.Max(0, nowMs - claim.ScoreMs) / 1000.0, tags);
    }

    private RunTelemetry()
    {
    }

    /// <summary>Stands in when nothing listens, so that a try costs nothing extra.</summary>
    private static readonly RunTelemetry Silent = new();

    private bool IsSilent => ReferenceEquals(this, Silent);

    public static RunTelemetry Start(ClaimedJob claim, JobMessage job, long nowMs, TimeProvider clock) =>
        ArqTelemetry.Started.Enabled || ArqTelemetry.Source.HasListeners() ? new RunTelemetry(claim, job, nowMs, clock) : Silent;

    /// <summary>Ends the try; a null outcome means it could not be recorded in Redis.</summary>
    public void End(JobOutcome? outcome)
    {
        if (IsSilent) return;
        ArqTelemetry.InFlight.Add(-1, tags);
        ArqTelemetry.Duration.Record(clock.GetElapsedTime(started).TotalSeconds, tags);
        switch (outcome)
        {
            case JobOutcome.Finished { Success: true }:
                ArqTelemetry.Completed.Add(1, tags);
                break;
            case JobOutcome.Finished failed:
                Failed(tags, failed.Error!.Type);
                if (failed.TimedOut) ArqTelemetry.TimedOut.Add(1, tags);
                activity?.SetStatus(ActivityStatusCode.Error, failed.Error.ToString());
                break;
            case JobOutcome.Retry:
                ArqTelemetry.Retried.Add(1, tags);
                break;
            default:
                activity?.SetStatus(ActivityStatusCode.Error, "the outcome could not be recorded in Redis");
                break;
        }
        activity?.Dispose();
    }

    /// <summary>A job that failed for good, before it ran or while it ran.</summary>
    public static void Failed(string queue, string function, string? errorType) => Failed(ArqTelemetry.Tags(queue, function), errorType);

    private static void Failed(TagList tags, string? errorType)
    {
        var failedTags = tags;
        failedTags.Add(ArqTelemetry.ErrorTypeTag, errorType ?? "unknown");
        ArqTelemetry.Failed.Add(1, failedTags);
        if (errorType == JobErrorTypes.Cancelled) ArqTelemetry.Aborted.Add(1, tags);
    }
}
