using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>A cmdlet that acts on jobs: piped ArqJob objects, or ids (piped or given) on a queue.</summary>
public abstract class ArqJobCmdlet : ArqCmdlet
{
    /// <summary>The parameter set of piped or given ArqJob objects.</summary>
    protected const string ByJob = "Job";

    /// <summary>The parameter set of job ids.</summary>
    protected const string ById = "Id";

    /// <summary><para type="description">Jobs from Submit-ArqJob or Get-ArqJob.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByJob)]
    [ValidateNotNull]
    public ArqJob[] Job { get; set; } = [];

    /// <summary><para type="description">Job ids.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary><para type="description">The queue the ids are on; arq:queue by default.</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string? Queue { get; set; }

    /// <summary>The jobs this call names, each with the client to reach it.</summary>
    internal IEnumerable<(ArqClient Client, Job Job)> SelectedJobs()
    {
        if (ParameterSetName == ByJob)
        {
            foreach (var job in Job)
            {
                var client = ClientFor(job);
                yield return (client, client.GetJob(job.Id, job.Queue));
            }
        }
        else
        {
            var client = GetClient();
            foreach (var id in Id) yield return (client, client.GetJob(id, Queue));
        }
    }

    /// <summary>Reads a job's current status and definition (its result, once finished) as an ArqJob.</summary>
    internal ArqJob Refresh(ArqClient client, Job job) =>
        ArqJob.From(client, job, Await(job.GetStatusAsync()), Await(job.GetInfoAsync()));
}
