using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Submits jobs that failed for good again, with their original arguments.</para>
/// <para type="description">Takes each job from its queue's dead letters (the jobs that failed for good, which
/// workers keep for -KeepFailedFor, at most -KeepFailed a queue) and queues it again under its id, with the function
/// and arguments it was first submitted with: its failed result goes, and its tries count from one. Emits the job,
/// queued. A job that is no dead letter (it did not fail for good, or its dead letter is gone) writes an error, as
/// does one whose id is queued or running again. Supports -WhatIf and -Confirm.</para>
/// <example><code>Get-ArqJob -State Failed | Restart-ArqJob</code><para>Submits every failed job of arq:queue again.</para></example>
/// <example><code>Get-ArqJob -Queue emails -State Failed | Where-Object Error -like '*timed out*' | Restart-ArqJob -WhatIf</code><para>Shows which of the failed jobs of emails that timed out would be submitted again, and submits none.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Restart, "ArqJob", DefaultParameterSetName = ByJob, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ArqJob))]
public sealed class RestartArqJobCommand : ArqJobCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var (client, job) in SelectedJobs())
        {
            if (!ShouldProcess($"job {job.Id} on {job.Queue}", "Submit again")) continue;
            try
            {
                if (Await(client.GetQueue(job.Queue).RetryFailedJobAsync(job.Id)) is { } again)
                    WriteObject(Refresh(client, again));
                else
                    WriteError(new ErrorRecord(new ItemNotFoundException(
                        $"Job {job.Id} is not among the failed jobs {job.Queue} keeps: it did not fail for good, or its dead letter is gone (Start-ArqWorker -KeepFailed, -KeepFailedFor)."),
                        "NoDeadLetter", ErrorCategory.ObjectNotFound, job.Id));
            }
            catch (InvalidOperationException e)
            {
                WriteError(new ErrorRecord(e, "JobQueued", ErrorCategory.ResourceExists, job.Id));
            }
        }
    }
}
