using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Deletes jobs that are not running, with their keys and results.</para>
/// <para type="description">Deletes each job's job, retry and result keys and removes it from its queue, so that it
/// never runs (or its result is gone). A running job is not deleted: abort it with Stop-ArqJob. Supports -WhatIf
/// and -Confirm.</para>
/// <example><code>Get-ArqJob -State Deferred | Remove-ArqJob -WhatIf</code><para>Shows which deferred jobs of arq:queue Remove-ArqJob would delete, and deletes none.</para></example>
/// <example><code>Remove-ArqJob -Id nightly-cleanup -Confirm:$false</code><para>Deletes the waiting job nightly-cleanup without asking. A running job is not deleted: stop it with Stop-ArqJob.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ArqJob", DefaultParameterSetName = ByJob, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveArqJobCommand : ArqJobCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var (_, job) in SelectedJobs())
        {
            if (!ShouldProcess($"job {job.Id} on {job.Queue}", "Delete")) continue;
            try
            {
                if (!Await(job.DeleteAsync()))
                    WriteError(new ErrorRecord(new ItemNotFoundException($"Job {job.Id} was not found on {job.Queue}."), "JobNotFound", ErrorCategory.ObjectNotFound, job.Id));
            }
            catch (InvalidOperationException e)
            {
                WriteError(new ErrorRecord(e, "JobRunning", ErrorCategory.ResourceBusy, job.Id));
            }
        }
    }
}
