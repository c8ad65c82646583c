using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// The PowerShell job of one Arq job, a child of the <see cref="ArqPSJob"/> that <c>Submit-ArqJob -AsJob</c> returns:
/// it follows the queue job (polling with back-off, as Wait-ArqJob does) and, once a worker anywhere has finished it,
/// holds its result as output and what it wrote to its streams, so that Receive-Job reads them. Stop-Job aborts the
/// queue job.
/// </summary>
public sealed class ArqPSChildJob : ArqPSJobBase
{
    private readonly Job queueJob;
    private readonly CancellationTokenSource following = new();

    internal ArqPSChildJob(Job queueJob, string command) : base(command, queueJob.Id)
    {
        this.queueJob = queueJob;
        Output.EnumeratorNeverBlocks = Error.EnumeratorNeverBlocks = Warning.EnumeratorNeverBlocks = true;
        Verbose.EnumeratorNeverBlocks = Debug.EnumeratorNeverBlocks = Information.EnumeratorNeverBlocks = Progress.EnumeratorNeverBlocks = true;
    }

    /// <summary>The Arq job's id.</summary>
    public string JobId => queueJob.Id;

    /// <summary>The queue the Arq job is on.</summary>
    public override string Location => queueJob.Queue;

    /// <inheritdoc/>
    public override string StatusMessage => JobStateInfo.State == JobState.Running ? "waiting for a worker to finish it" : "";

    /// <inheritdoc/>
    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Debug.Count > 0 || Information.Count > 0;

    /// <summary>Starts following the queue job.</summary>
    public override void StartJob()
    {
        SetJobState(JobState.Running);
        _ = FollowAsync();
    }

    private async Task FollowAsync()
    {
        try
        {
            var result = await queueJob.WaitAsync(cancellationToken: following.Token).ConfigureAwait(false);
            var streams = await queueJob.GetStreamsAsync().ConfigureAwait(false);
            if (streams is not null)
            {
                new JobStreamReplay(m => Warning.Add(new WarningRecord(m)), m => Verbose.Add(new VerboseRecord(m)),
                    m => Debug.Add(new DebugRecord(m)), Information.Add, Error.Add).Replay(JobId, streams);
            }
            if (result.Success)
            {
                if (PowerShellValue.FromPacked(result.Result) is { } value) Output.Add(PSObject.AsPSObject(value));
                SetJobState(JobState.Completed);
            }
            else
            {
                Error.Add(JobStreamReplay.Failure(JobId, result, streams));
                SetJobState(JobState.Failed);
            }
        }
        catch (OperationCanceledException) when (following.IsCancellationRequested)
        {
            // Stopped or removed.
        }
        catch (Exception e) when (e is ArqException or InvalidDataException || Worker.RedisFailures.IsTransient(e))
        {
            Error.Add(new ErrorRecord(e, "ArqJobNotFollowed", ErrorCategory.ResourceUnavailable, JobId));
            SetJobState(JobState.Failed);
        }
    }

    /// <summary>Aborts the queue job (a running try is cancelled, a queued one never starts) and stops following it.</summary>
    public override void StopJob()
    {
        if (IsFinishedState(JobStateInfo.State)) return;
        SetJobState(JobState.Stopping);
        following.Cancel();
        try
        {
            queueJob.RequestAbortAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (Worker.RedisFailures.IsTransient(e))
        {
            Error.Add(new ErrorRecord(e, "ArqAbortNotSent", ErrorCategory.ConnectionError, JobId));
        }
        SetJobState(JobState.Stopped);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            following.Cancel();
            following.Dispose();
        }
        base.Dispose(disposing);
    }

}
