using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>What Suspend-ArqQueue and Resume-ArqQueue share: the queues they take (by name, from the pipeline, or
/// Get-ArqQueue's objects), -WhatIf and -Confirm, and -PassThru for the queues' state afterwards.</summary>
public abstract class QueueStateCmdlet : ArqCmdlet
{
    /// <summary><para type="description">The queues; arq:queue by default. Takes names, or Get-ArqQueue's output, from
    /// the pipeline.</para></summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string[]? Queue { get; set; }

    /// <summary><para type="description">Writes each queue's state (Get-ArqQueue's object) once changed.</para></summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>What is done to a queue, as -WhatIf says it.</summary>
    private protected abstract string Action { get; }

    /// <summary>Changes the queue; false when it was in that state already.</summary>
    private protected abstract Task<bool> ChangeAsync(JobQueue queue);

    /// <summary>What -Verbose says when nothing changed.</summary>
    private protected abstract string Unchanged { get; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var client = GetClient();
        foreach (var name in Queue ?? [client.Options.DefaultQueue])
        {
            if (!ShouldProcess(name, Action)) continue;
            var queue = client.GetQueue(name);
            if (!Await(ChangeAsync(queue))) WriteVerbose($"{name} {Unchanged}.");
            if (PassThru) WriteObject(Await(queue.GetInfoAsync()));
        }
    }
}
