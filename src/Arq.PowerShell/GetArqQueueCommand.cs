using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Shows what queues hold: queued, deferred and running jobs, and the workers' health.</para>
/// <para type="description">For each queue: how many jobs are due and waiting, deferred and in progress, how long
/// the oldest waiting job has been due, how many jobs Arq workers have completed and failed, and the last
/// health-check line a worker wrote, parsed into its counts. Without -Queue, every queue Redis holds.</para>
/// <para type="description">With -Watch, a live view instead, refreshed in place every -Interval until Ctrl+C (or
/// -Count refreshes): per queue the counts and the jobs completed and failed per second, and the workers' last
/// health check.</para>
/// <example><code>Get-ArqQueue</code><para>Lists every queue in the database with its waiting, deferred and running jobs and its workers' health-check counts.</para></example>
/// <example><code>Get-ArqQueue -Queue arq:queue | Format-List</code><para>Shows every property of one queue, its workers' health-check line among them.</para></example>
/// <example><code>Get-ArqQueue -Watch</code><para>Shows a live view of the queues, refreshed every second with the jobs completed and failed per second, until Ctrl+C.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Get, "ArqQueue", DefaultParameterSetName = "Now")]
[OutputType("Arq.QueueInfo", ParameterSetName = ["Now"])] // by name: the type lives in the isolated dependencies
public sealed class GetArqQueueCommand : ArqCmdlet
{
    private readonly List<string> watched = [];

    /// <summary><para type="description">The queues; every queue Redis holds by default.</para></summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string[]? Queue { get; set; }

    /// <summary><para type="description">Shows a live view, refreshed in place, until Ctrl+C.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = "Watch")]
    public SwitchParameter Watch { get; set; }

    /// <summary><para type="description">How often the live view refreshes: seconds (0.1 to 3600), or a time span; one second by default.</para></summary>
    [Parameter(ParameterSetName = "Watch")]
    [Duration]
    [ValidateRange("00:00:00.1", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><para type="description">Stops the live view after this many refreshes (for scripts and logs); 0,
    /// the default, runs until Ctrl+C.</para></summary>
    [Parameter(ParameterSetName = "Watch")]
    [ValidateRange(0, int.MaxValue)]
    public int Count { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Watch)
        {
            // Without names, the live view finds the queues again as it goes, so that new ones appear.
            watched.AddRange(Queue ?? []);
            return;
        }
        var client = GetClient();
        var queues = Queue ?? Await(client.FindQueuesOrDefaultAsync());
        foreach (var name in queues) WriteObject(Await(client.GetQueue(name).GetInfoAsync()));
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!Watch) return;
        // In place on a terminal; frame after frame when the output is redirected (a log, a test).
        var inPlace = Host.UI.SupportsVirtualTerminal && !Console.IsOutputRedirected;
        var views = GetClient().WatchQueuesAsync(watched.Count == 0 ? null : watched.Distinct().ToList(), Interval, StopToken).GetAsyncEnumerator(StopToken);
        try
        {
            var shown = 0;
            var previousLines = 0;
            while ((Count == 0 || shown < Count) && Await(views.MoveNextAsync().AsTask()))
            {
                var lines = QueueView.Render(views.Current, Interval);
                if (inPlace && previousLines > 0) Host.UI.Write($"\u001b[{previousLines}A\u001b[J");
                else if (shown > 0) Host.UI.WriteLine();
                foreach (var line in lines) Host.UI.WriteLine(line);
                previousLines = lines.Count;
                shown++;
            }
        }
        finally
        {
            views.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
