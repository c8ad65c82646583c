using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Removes every waiting job from queues.</para>
/// <para type="description">Deletes every queued and deferred job of each queue, with its keys. Running jobs are
/// left to finish. Asks for confirmation unless -Confirm:$false (its impact is High); supports -WhatIf.</para>
/// <example><code>Clear-ArqQueue -Queue arq:queue -WhatIf</code><para>Shows how many waiting jobs Clear-ArqQueue would remove from arq:queue, and removes none.</para></example>
/// <example><code>Clear-ArqQueue -Queue emails -Confirm:$false -Verbose</code><para>Removes every waiting job of the emails queue without asking, and says how many it removed. Running jobs are left to finish.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Clear, "ArqQueue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class ClearArqQueueCommand : ArqCmdlet
{
    /// <summary><para type="description">The queues to empty; arq:queue by default.</para></summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string[]? Queue { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var client = GetClient();
        foreach (var name in Queue ?? [client.Options.DefaultQueue])
        {
            if (!ShouldProcess(name, "Remove every waiting job")) continue;
            var removed = Await(client.GetQueue(name).ClearAsync());
            WriteVerbose($"Removed {removed} jobs from {name}.");
        }
    }
}
