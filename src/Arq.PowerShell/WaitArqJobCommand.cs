using System.Diagnostics;
using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Waits until jobs finish.</para>
/// <para type="description">Waits for the piped or named jobs and emits each one, with its outcome, as it finishes.
/// With -Any it returns once one job has finished. With -Timeout it returns when the time is up, emitting only the
/// jobs that finished, as Wait-Job does. Shows a progress bar while it waits for several jobs, and under it the
/// progress the running jobs report (a PowerShell job's Write-Progress), live, for up to ten jobs at a time; Ctrl+C
/// stops it at once. A job that is nowhere (never enqueued, expired, or finished without keeping its result) writes a
/// non-terminating error.</para>
/// <example><code>1..10 | Submit-ArqJob -Function Square | Wait-ArqJob -Timeout 30 | Receive-ArqJob</code><para>Submits ten jobs, waits up to 30 seconds for them to finish and writes their results.</para></example>
/// <example><code>Get-ArqJob -State InProgress | Wait-ArqJob -Any</code><para>Waits until any one of the running jobs finishes, and writes that job.</para></example>
/// <example><code>$job = Get-ArqJob -Queue reports | Wait-ArqJob -AsJob; Receive-Job $job -Wait</code><para>Waits in the background, as a PowerShell job with a child job for each Arq job, which the job cmdlets work on.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ArqJob", DefaultParameterSetName = ByJob)]
[OutputType(typeof(ArqJob))]
public sealed class WaitArqJobCommand : ArqJobCmdlet
{
    private readonly List<(ArqClient Client, Job Job)> pending = [];

    /// <summary><para type="description">Seconds to wait; -1 (the default) waits for ever.</para></summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <summary><para type="description">Return once any one of the jobs has finished.</para></summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary><para type="description">Return at once a PowerShell job with a child job for each Arq job, which waits in the background: Get-Job, Wait-Job, Receive-Job, Stop-Job and Remove-Job work on it, as on Submit-ArqJob -AsJob's.</para></summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => pending.AddRange(SelectedJobs());

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (AsJob)
        {
            WriteObject(ArqPSJob.Start(MyInvocation, pending.Select(p => p.Job), JobManager));
            return;
        }
        var total = pending.Count;
        var clock = Stopwatch.StartNew();
        var progress = new ProgressRecord(1, "Waiting for Arq jobs", $"0 of {total} finished");
        var jobsProgress = new JobProgressView(total > 1 ? progress.ActivityId : -1);
        try
        {
            Wait(total, clock, progress, jobsProgress);
        }
        finally
        {
            Await(jobsProgress.DisposeAsync().AsTask());
        }
        if (total > 1)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    private void Wait(int total, Stopwatch clock, ProgressRecord progress, JobProgressView jobsProgress)
    {
        var backoff = new PollBackoff();
        while (pending.Count > 0)
        {
            Await(jobsProgress.WatchAsync(pending.Select(p => p.Job)));
            var statuses = Await(Task.WhenAll(pending.Select(p => p.Job.GetStatusAsync())));
            var finished = 0;
            for (var i = pending.Count - 1; i >= 0; i--)
            {
                if (statuses[i] is not (JobStatus.Complete or JobStatus.NotFound)) continue;
                var (client, job) = pending[i];
                pending.RemoveAt(i);
                finished++;
                foreach (var closing in Await(jobsProgress.EndAsync(job.Id))) WriteProgress(closing);
                if (statuses[i] == JobStatus.NotFound)
                    WriteError(new ErrorRecord(new ResultNotFoundException(job.Id, job.Queue), "JobNotFound", ErrorCategory.ObjectNotFound, job.Id));
                else
                    WriteObject(ArqJob.From(client, job, JobStatus.Complete, Await(job.GetResultInfoAsync())));
            }
            if ((Any && finished > 0 && pending.Count < total) || pending.Count == 0) break;
            if (Timeout >= 0 && clock.Elapsed.TotalSeconds >= Timeout) break;
            if (total > 1)
            {
                progress.StatusDescription = $"{total - pending.Count} of {total} finished";
                progress.PercentComplete = (total - pending.Count) * 100 / total;
                WriteProgress(progress);
            }
            foreach (var record in jobsProgress.TakeRecords()) WriteProgress(record);
            // Progress that arrives ends the pause early, so that it shows at once.
            Await(jobsProgress.PauseAsync(backoff.Next(), StopToken));
        }
    }
}
