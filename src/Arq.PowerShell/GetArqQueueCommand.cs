using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Shows what queues hold: queued, deferred and running jobs, and the workers' health.</para>
/// <para type="description">For each queue: how many jobs are due and waiting, deferred and in progress, how long
/// the oldest waiting job has been due, and the last health-check line a worker wrote, parsed into its counts.
/// Without -Queue, every queue Redis holds.</para>
/// <example><code>Get-ArqQueue</code></example>
/// <example><code>Get-ArqQueue -Queue arq:queue | Format-List</code></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ArqQueue")]
[OutputType("Arq.QueueInfo")] // by name: the type lives in the isolated dependencies
public sealed class GetArqQueueCommand : ArqCmdlet
{
    /// <summary><para type="description">The queues; every queue Redis holds by default.</para></summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string[]? Queue { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var client = GetClient();
        var queues = Queue ?? Await(client.FindQueuesAsync()).DefaultIfEmpty(client.Options.DefaultQueue);
        foreach (var name in queues) WriteObject(Await(client.GetQueue(name).GetInfoAsync()));
    }
}
