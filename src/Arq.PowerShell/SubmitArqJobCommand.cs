using System.Collections;
using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Enqueues jobs for Arq or Python arq workers.</para>
/// <para type="description">Enqueues one job a call, or one job per pipeline input object (the object becomes the
/// first argument). Emits an ArqJob for each job enqueued. A job id that is already queued or has a kept result
/// writes a non-terminating error and the pipeline goes on.</para>
/// <example><code>Submit-ArqJob -Function Downloader.DownloadContent -ArgumentList 'https://example.com'</code></example>
/// <example><code>1..100 | Submit-ArqJob -Function Echo -Queue arq:queue</code></example>
/// <example><code>Submit-ArqJob -Function Report -Parameters @{ Month = 11 } -DeferBy (New-TimeSpan -Minutes 5)</code></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Submit, "ArqJob", DefaultParameterSetName = Now)]
[OutputType(typeof(ArqJob))]
public sealed class SubmitArqJobCommand : ArqCmdlet
{
    private const string Now = "Now";

    /// <summary><para type="description">The function to run, as the worker registered it (Actor.Method or a function name).</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Function { get; set; } = "";

    /// <summary><para type="description">Positional arguments.</para></summary>
    [Parameter(Position = 1)]
    public object?[]? ArgumentList { get; set; }

    /// <summary><para type="description">Named arguments.</para></summary>
    [Parameter]
    public Hashtable? Parameters { get; set; }

    /// <summary><para type="description">Pipeline input: each object becomes one job, passed as its first argument.</para></summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary><para type="description">The queue (the Redis key of its sorted set); arq:queue by default.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Queue { get; set; }

    /// <summary><para type="description">The job id; a random one by default.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary><para type="description">Run no sooner than this long from now.</para></summary>
    [Parameter(ParameterSetName = "DeferBy", Mandatory = true)]
    public TimeSpan DeferBy { get; set; }

    /// <summary><para type="description">Run no sooner than this time (local time unless the DateTime says UTC).</para></summary>
    [Parameter(ParameterSetName = "DeferUntil", Mandatory = true)]
    public DateTime DeferUntil { get; set; }

    /// <summary><para type="description">Drop the job if it has not started this long after it was enqueued.</para></summary>
    [Parameter]
    public TimeSpan Expires { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var fromPipeline = MyInvocation.BoundParameters.ContainsKey(nameof(InputObject));
        var positional = (fromPipeline ? new[] { (object?)InputObject } : []).Concat(ArgumentList ?? []).ToArray();
        object?[] args;
        Dictionary<string, object?> kwargs = new(StringComparer.Ordinal);
        try
        {
            args = positional.Select((value, i) => PowerShellValue.ToPlain(value, $"Argument {i}")).ToArray();
            foreach (DictionaryEntry entry in Parameters ?? [])
            {
                var name = entry.Key.ToString()!;
                kwargs[name] = PowerShellValue.ToPlain(entry.Value, $"Parameter '{name}'");
            }
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "ArgumentNotData", ErrorCategory.InvalidArgument, InputObject));
            return;
        }

        var options = new EnqueueOptions
        {
            JobId = JobId,
            Queue = Queue,
            DeferBy = ParameterSetName == "DeferBy" ? DeferBy : null,
            DeferUntil = ParameterSetName == "DeferUntil" ? new DateTimeOffset(DeferUntil) : null,
            Expires = MyInvocation.BoundParameters.ContainsKey(nameof(Expires)) ? Expires : null,
        };
        var job = Await(Client.EnqueueAsync(Function, args, kwargs, options));
        if (job is null)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"A job with the id '{JobId}' is already queued or has a kept result; nothing was enqueued."),
                "DuplicateJobId", ErrorCategory.ResourceExists, JobId));
            return;
        }
        WriteObject(ArqJob.From(job, Await(job.GetStatusAsync()), Await(job.GetInfoAsync()), Redis));
    }
}
