using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Shows the cron jobs that workers of a queue run, with each one's next run.</para>
/// <para type="description">Arq workers publish their cron jobs (from [Cron] methods, AddCron, or [ArqCron(...)] in an
/// actors script) with the schedule, its time zone and the next run they will enqueue. The entry expires with the
/// workers' health check, so a cron job of a worker that stopped long ago no longer shows. Python arq workers
/// publish nothing, so their cron jobs do not show.</para>
/// <example><code>Get-ArqCron</code><para>Lists the cron jobs the workers on arq:queue have published, with each one's schedule and next run.</para></example>
/// <example><code>Get-ArqCron -Queue reports | Where-Object NextRun -lt (Get-Date).AddHours(1)</code><para>Lists the cron jobs of the reports queue that run within the next hour.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ArqCron")]
[OutputType("Arq.CronJobInfo")] // by name: the type lives in the isolated dependencies
public sealed class GetArqCronCommand : ArqCmdlet
{
    /// <summary><para type="description">The queues whose workers to ask; the client's default queue by default.</para></summary>
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
            WriteObject(Await(client.GetQueue(name).GetCronJobsAsync()), enumerateCollection: true);
    }
}
