using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Aborts jobs.</para>
/// <para type="description">Asks the workers to abort each job: a job not yet started fails at once as cancelled
/// when a worker takes it (a deferred job is made due so that this happens now); a running job is cancelled. Only
/// workers that allow aborts act on it (Arq workers do by default). Returns at once; pipe the jobs to Wait-ArqJob
/// to wait for them to end. Supports -WhatIf and -Confirm.</para>
/// <example><code>Get-ArqJob -State InProgress | Stop-ArqJob -WhatIf</code><para>Shows which running jobs Stop-ArqJob would abort, and aborts none.</para></example>
/// <example><code>Stop-ArqJob -Id 8a1c0e5d4f6b4e2f9d3c7b1a0e9f8d7c -PassThru | Wait-ArqJob</code><para>Asks the workers to abort a job, then waits until it has ended.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ArqJob", DefaultParameterSetName = ByJob, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ArqJob))]
public sealed class StopArqJobCommand : ArqJobCmdlet
{
    /// <summary><para type="description">Emit each job after its abort was requested.</para></summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var (client, job) in SelectedJobs())
        {
            if (!ShouldProcess($"job {job.Id} on {job.Queue}", "Abort")) continue;
            Await(job.RequestAbortAsync());
            if (PassThru) WriteObject(Refresh(client, job));
        }
    }
}
