using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Gets jobs: by id, or the jobs waiting and running on a queue.</para>
/// <para type="description">With -Id, reads each job's status (Deferred, Queued, InProgress, Complete, NotFound, or
/// Waiting for the jobs it runs after), what it runs and, once finished, how it ended (a job that failed for good,
/// from its dead letter once its result has expired). Without -Id, lists the jobs of a queue in the order they are due
/// (at most -First), optionally only those in the given states; -State Waiting lists the continuations waiting for
/// the jobs they run after, -State Failed the jobs that failed for good, newest first, from the dead letters workers
/// keep (Restart-ArqJob submits them again). Accepts ArqJob objects from
/// the pipeline.</para>
/// <example><code>Get-ArqJob -Id 8a1c0e5d4f6b4e2f9d3c7b1a0e9f8d7c</code><para>Gets one job by its id: its status, function and arguments, and, once finished, whether it succeeded and when.</para></example>
/// <example><code>Get-ArqJob -Queue arq:queue -State InProgress</code><para>Lists the jobs of arq:queue that a worker is running now.</para></example>
/// <example><code>Get-ArqJob -State Failed -First 20 | Format-Table Id, Function, Error</code><para>Lists the 20 latest jobs of arq:queue that failed for good, with their errors.</para></example>
/// <example><code>Submit-ArqJob -Function Echo -ArgumentList hi | Get-ArqJob</code><para>Submits a job and reads its status straight away (Queued, until a worker takes it).</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ArqJob", DefaultParameterSetName = ByQueue)]
[OutputType(typeof(ArqJob))]
public sealed class GetArqJobCommand : ArqCmdlet
{
    private const string ByQueue = "Queue";
    private const string Failed = "Failed", Waiting = "Waiting";

    /// <summary><para type="description">Job ids.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary><para type="description">The queue; arq:queue by default.</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string? Queue { get; set; }

    /// <summary><para type="description">Only jobs in these states (listing a queue); Failed: the jobs that failed for good, newest first; Waiting: the continuations waiting for the jobs they run after.</para></summary>
    [Parameter(ParameterSetName = ByQueue)]
    [ValidateSet("Queued", "Deferred", "InProgress", Failed, Waiting)]
    public string[]? State { get; set; }

    /// <summary><para type="description">At most this many jobs, the first due first (listing a queue).</para></summary>
    [Parameter(ParameterSetName = ByQueue)]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; } = 10_000;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var client = GetClient();
        if (ParameterSetName == ByQueue)
        {
            var queue = client.GetQueue(Queue);
            string[] listings = [Failed, Waiting];
            if (State is null || State.Any(state => !listings.Contains(state, StringComparer.OrdinalIgnoreCase)))
                foreach (var queued in Await(queue.GetJobsAsync(First)))
                    if (State is null || State.Contains(queued.Status.ToString(), StringComparer.OrdinalIgnoreCase))
                        WriteObject(ArqJob.From(client, queued.Job, queued.Status, queued.Definition, queued.Problem));
            if (State?.Contains(Waiting, StringComparer.OrdinalIgnoreCase) == true) WriteListing(client, queue, JobListing.Waiting);
            if (State?.Contains(Failed, StringComparer.OrdinalIgnoreCase) == true) WriteListing(client, queue, JobListing.Failed);
            return;
        }
        foreach (var id in Id)
        {
            var job = client.GetJob(id, Queue);
            var (status, info) = (Await(job.GetStatusAsync()), Await(job.GetInfoAsync()));
            // A job that failed for good is a dead letter beyond its result's lifetime.
            if (status == JobStatus.NotFound && info is null && Await(client.GetQueue(Queue).GetFailedJobAsync(id)) is { } failed)
                (status, info) = (JobStatus.Complete, failed);
            WriteObject(ArqJob.From(client, job, status, info));
        }
    }

    /// <summary>One of the queue's listings (its waiting continuations, its failed jobs), a page at a time up to -First.</summary>
    private void WriteListing(ArqClient client, JobQueue queue, JobListing listing)
    {
        for (long written = 0; written < First;)
        {
            var page = Await(queue.GetPageAsync(listing, written, (int)Math.Min(1000, First - written)));
            foreach (var listed in page.Jobs) WriteObject(ArqJob.From(client, listed.Job, listed.Status, listed.Definition, listed.Problem));
            written += page.Jobs.Count;
            if (page.Jobs.Count == 0 || written >= page.Total) return;
        }
    }
}
