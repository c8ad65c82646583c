using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Gets jobs by id: their status, function and arguments.</para>
/// <para type="description">Reads each job's status (deferred, queued, in progress, complete, not found) and what it
/// runs. Accepts ArqJob objects from the pipeline.</para>
/// <example><code>Get-ArqJob -Id 8a1c0e5d4f6b4e2f9d3c7b1a0e9f8d7c</code></example>
/// <example><code>Submit-ArqJob -Function Echo -ArgumentList hi | Get-ArqJob</code></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ArqJob")]
[OutputType(typeof(ArqJob))]
public sealed class GetArqJobCommand : ArqCmdlet
{
    /// <summary><para type="description">The job ids.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary><para type="description">The queue the jobs are on; arq:queue by default.</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Queue { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var id in Id)
        {
            var job = Client.GetJob(id, Queue);
            WriteObject(ArqJob.From(job, Await(job.GetStatusAsync()), Await(job.GetInfoAsync()), Redis));
        }
    }
}
