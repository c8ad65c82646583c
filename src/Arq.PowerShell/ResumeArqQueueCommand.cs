using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Resumes paused queues: Arq workers claim their jobs again.</para>
/// <para type="description">Undoes Suspend-ArqQueue: idle workers of the queue are woken, as by an enqueue, and claim
/// its jobs at once. A queue that is not paused is left as it is (-Verbose says so). Supports -WhatIf and -Confirm.</para>
/// <example><code>Resume-ArqQueue emails</code><para>Resumes the emails queue; its workers start its waiting jobs at once.</para></example>
/// <example><code>Get-ArqQueue | Where-Object Paused | Resume-ArqQueue -PassThru</code><para>Resumes every paused queue and shows their state.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "ArqQueue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("Arq.QueueInfo")] // by name: the type lives in the isolated dependencies
public sealed class ResumeArqQueueCommand : QueueStateCmdlet
{
    private protected override string Action => "Resume: workers claim its jobs again";

    private protected override string Unchanged => "was not paused";

    private protected override Task<bool> ChangeAsync(JobQueue queue) => queue.ResumeAsync();
}
