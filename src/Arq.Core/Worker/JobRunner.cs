using Microsoft.Extensions.DependencyInjection;
using Arq.Protocol;
using Microsoft.Extensions.Logging;

namespace Arq.Worker;

/// <summary>
/// Runs one claimed try to its recorded end: reads the job, refuses what cannot run (too large, expired, undecodable,
/// aborted, unknown function, out of tries), calls the function with its hooks within its timeout, turns what happened
/// into a <see cref="JobOutcome"/> (applying the function's retry policy), and has it recorded.
/// </summary>
internal sealed class JobRunner(FunctionRegistry functions, HookRunner hooks, IWorkerStore store, OutcomeRecorder recorder,
    ProgressRelay progress, ArqWorkerOptions options, ILogger logger)
{
    private TimeProvider Clock => options.Clock;

    /// <summary>Called with the exception of each try that throws one, besides recording it as arq does: the test
    /// harness's mode in which a job's exception reaches the test.</summary>
    public Action<Exception>? OnJobException { get; init; }

    public async Task RunAsync(JobRun run)
    {
        var claim = run.Claim;
        var startedMs = store.Now;
        if (claim.OversizeBytes > 0)
        {
            await RefuseAsync(run, null, claim.Try, JobErrorTypes.JobTooLarge,
                $"the job is {claim.OversizeBytes} bytes, more than the worker's limit of {options.MaxJobBytes} (MaxJobBytes)").ConfigureAwait(false);
            return;
        }
        if (claim.Bytes is null)
        {
            await RefuseAsync(run, null, claim.Try, JobErrorTypes.JobExpired, "job expired").ConfigureAwait(false);
            return;
        }
        JobMessage job;
        try
        {
            job = JobMessage.Decode(claim.Bytes);
        }
        catch (ArqProtocolException e)
        {
            await RefuseAsync(run, null, claim.Try, JobErrorTypes.InvalidJob, e.Message).ConfigureAwait(false);
            return;
        }
        if (claim.AbortedBeforeStart)
        {
            await RefuseAsync(run, job, claim.Try, JobErrorTypes.Cancelled, "job aborted before start").ConfigureAwait(false);
            return;
        }
        IReadOnlyList<JobResult> parents = [];
        if (job.After is { Count: > 0 } after)
        {
            var (failedParent, results) = await store.ReadParentsAsync(claim.JobId, claim.Queue, after).ConfigureAwait(false);
            if (failedParent is not null && !job.AfterAnyOutcome)
            {
                var why = results.FirstOrDefault(r => r.JobId == failedParent)?.Error is { } error ? $" ({error})" : "";
                await RefuseAsync(run, job, claim.Try, JobErrorTypes.ParentFailed, $"it runs after job {failedParent}, which failed{why}").ConfigureAwait(false);
                return;
            }
            parents = results;
        }
        if (!functions.TryGet(job.Function, out var function))
        {
            await RefuseAsync(run, job, claim.Try, JobErrorTypes.FunctionNotFound, $"function '{job.Function}' not found").ConfigureAwait(false);
            return;
        }
        var tryNumber = claim.Try;
        if (job.Try > tryNumber)
        {
            // arq's rule for a job enqueued with a higher try number: the retry key follows it.
            tryNumber = job.Try.Value;
            await store.SetTryAsync(claim.JobId, claim.Queue, tryNumber).ConfigureAwait(false);
        }
        // A host's services give each job a scope of its own, disposed once the job and its hooks are done.
        await using var scope = options.Services?.CreateAsyncScope();
        var context = CreateContext(run, job, tryNumber, scope?.ServiceProvider, parents);
        var maxTries = function.Settings.MaxTries ?? options.MaxTries;
        if (tryNumber > maxTries)
        {
            var error = await RefuseAsync(run, job, tryNumber, JobErrorTypes.MaxTriesExceeded, $"max {maxTries} retries exceeded").ConfigureAwait(false);
            if (!hooks.IsEmpty) await hooks.TriesExhaustedAsync(context, error).ConfigureAwait(false);
            return;
        }

        var telemetry = RunTelemetry.Start(claim, job, startedMs, Clock);
        JobOutcome? recorded = null;
        var outcome = await InvokeAsync(run, function, context).ConfigureAwait(false);
        progress.Ended(claim.JobId);
        JobError? exhausted = null;
        if (outcome is JobOutcome.Finished { Success: false, Retryable: true } failure && function.Settings.Retry is { } policy)
        {
            if (tryNumber < maxTries) outcome = new JobOutcome.Retry(policy.DelayAfter(tryNumber), $"failed ({failure.Error})", failure.Error);
            else exhausted = failure.Error;
        }
        run.Released = true;
        run.Finished = outcome is JobOutcome.Finished;
        try
        {
            await recorder.RecordAsync(claim, job, tryNumber, startedMs, outcome,
                function.Settings.KeepResult ?? options.KeepResult, functions.IsCron(job.Function), context.Streams).ConfigureAwait(false);
            recorded = outcome;
        }
        finally
        {
            telemetry.End(recorded);
        }
        if (hooks.IsEmpty) return;
        // Finishes complete a batch at a time on one thread; a hook gets a thread of its own.
        await Task.Yield();
        await hooks.AfterJobAsync(context, outcome.ToCompletion(TimeSpan.FromMilliseconds(store.Now - startedMs))).ConfigureAwait(false);
        if (exhausted is not null) await hooks.TriesExhaustedAsync(context, exhausted).ConfigureAwait(false);
    }

    private JobContext CreateContext(JobRun run, JobMessage job, long tryNumber, IServiceProvider? services, IReadOnlyList<JobResult> parents) => new()
    {
        Parents = parents,
        Services = services,
        JobId = run.Claim.JobId,
        Function = job.Function,
        Try = tryNumber,
        EnqueueTime = UnixTime.FromMilliseconds(job.EnqueueTimeMs),
        Queue = run.Claim.Queue,
        DueTime = UnixTime.FromMilliseconds(run.Claim.ScoreMs),
        Args = job.Args,
        Kwargs = job.Kwargs,
        CancellationToken = run.Token,
        MaxStreamBytes = options.MaxStreamBytes,
        Clock = Clock,
        ProgressRelay = progress,
    };

    /// <summary>Calls the function (after the before-job hooks) and says how the call ended.</summary>
    private async Task<JobOutcome> InvokeAsync(JobRun run, JobFunction function, JobContext context)
    {
        var claim = run.Claim;
        var timeout = function.Settings.Timeout ?? options.JobTimeout;
        if (logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("{Waited,6:0.00}s → {JobId}:{Function}({Args}) try={Try}",
                (store.Now - claim.ScoreMs) / 1000.0, claim.JobId, context.Function, JobText.Arguments(context.Args, context.Kwargs), context.Try);

        run.Deadline = Clock.TimestampAfter(timeout);
        try
        {
            // The function runs on the thread pool, so a synchronous one cannot block the poll loop. If it ignores
            // its cancellation token, the job still ends on time; the function is left to finish on its own.
            var invocation = hooks.IsEmpty
                ? Task.Run(() => function.InvokeAsync(context))
                : Task.Run(async () =>
                {
                    await hooks.BeforeJobAsync(context).ConfigureAwait(false);
                    return await function.InvokeAsync(context).ConfigureAwait(false);
                });
            var value = await invocation.WaitAsync(run.Token).ConfigureAwait(false);
            return Succeeded(value);
        }
        catch (OperationCanceledException) when (run.Reason != StopReason.None)
        {
            return run.Reason switch
            {
                StopReason.Timeout => JobOutcome.Failed(JobErrorTypes.Timeout, $"job timed out after {timeout.TotalSeconds:0.###}s", timedOut: true),
                StopReason.Abort => JobOutcome.Failed(JobErrorTypes.Cancelled, "job aborted"),
                _ => new JobOutcome.Retry(null, "worker shutting down"),
            };
        }
        catch (RetryJobException e)
        {
            return new JobOutcome.Retry(e.Delay, e.Message);
        }
        catch (ArgumentBindingException e)
        {
            return JobOutcome.Failed(JobErrorTypes.ArgumentBinding, e.Message);
        }
        catch (FailJobException e)
        {
            OnJobException?.Invoke(e);
            return JobOutcome.Failed(e.ErrorType, e.Message, retryable: true);
        }
        catch (Exception e)
        {
            OnJobException?.Invoke(e);
            return JobOutcome.Failed(e.GetType().Name, e.Message, retryable: true);
        }
    }

    private static JobOutcome Succeeded(object? value)
    {
        try
        {
            return new JobOutcome.Finished(true, PackedValue.From(value), null);
        }
        catch (MessagePack.MessagePackSerializationException e)
        {
            return JobOutcome.Failed(JobErrorTypes.Serialization,
                $"the result of type {value!.GetType().FullName} cannot be encoded as MessagePack: {ArqMessagePack.Reason(e)}");
        }
    }

    /// <summary>Records a try that does not run; returns the error recorded.</summary>
    private async Task<JobError> RefuseAsync(JobRun run, JobMessage? job, long tryNumber, string errorType, string message)
    {
        run.Released = true;
        run.Finished = true;
        var error = new JobError(errorType, message);
        await recorder.RefuseAsync(run.Claim, job, tryNumber, error).ConfigureAwait(false);
        return error;
    }
}
