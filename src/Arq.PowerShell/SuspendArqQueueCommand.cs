using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Pauses queues: Arq workers claim none of their jobs until Resume-ArqQueue.</para>
/// <para type="description">Workers stop claiming from a paused queue at their next poll; the jobs they run finish,
/// and Submit-ArqJob goes on enqueueing. The pause is kept in Redis, so it holds when workers restart; Get-ArqQueue
/// and the dashboard show it. A burst worker (-Burst) whose queues are all paused ends. Python arq workers on the same
/// queue do not know the pause and go on claiming. Supports -WhatIf and -Confirm.</para>
/// <example><code>Suspend-ArqQueue emails -PassThru</code><para>Pauses the emails queue and shows its state, Paused True.</para></example>
/// <example><code>Get-ArqQueue | Where-Object Queued -gt 10000 | Suspend-ArqQueue -WhatIf</code><para>Shows which queues with more than 10,000 waiting jobs it would pause, and pauses none.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Suspend, "ArqQueue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Arq.QueueInfo")] // by name: the type lives in the isolated dependencies
public sealed class SuspendArqQueueCommand : QueueStateCmdlet
{
    private protected override string Action => "Pause: workers claim none of its jobs";

    private protected override string Unchanged => "was paused already";

    private protected override Task<bool> ChangeAsync(JobQueue queue) => queue.PauseAsync();
}
