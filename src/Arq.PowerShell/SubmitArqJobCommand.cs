using System.Collections;
using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Enqueues jobs for Arq or Python arq workers.</para>
/// <para type="description">Enqueues one job a call, or one job per pipeline input object: the object becomes the
/// first argument, or with -ByPropertyName its properties become named arguments. Emits an ArqJob for each job
/// enqueued. Arguments must be data (strings, numbers, booleans, $null, byte arrays, DateTime, arrays, hashtables,
/// PSCustomObjects); a script block or a live .NET object is refused with an error that names it. A job id that is
/// already queued or has a kept result writes a non-terminating error and the pipeline goes on.</para>
/// <example><code>Submit-ArqJob -Function Downloader.DownloadContent -ArgumentList 'https://example.com'</code><para>Enqueues a call of the DownloadContent method of the Downloader actor on arq:queue and returns the job.</para></example>
/// <example><code>1..100 | Submit-ArqJob -Function Echo</code><para>Enqueues 100 jobs, one for each piped number, each number its job's argument.</para></example>
/// <example><code>Import-Csv users.csv | Submit-ArqJob -Function Accounts.Create -ByPropertyName</code><para>Enqueues a job per row of users.csv, each column passed as the named argument of the same name.</para></example>
/// <example><code>Submit-ArqJob -Function Report -Parameters @{ Month = 11 } -DeferBy (New-TimeSpan -Minutes 5)</code><para>Enqueues a job with a named argument that no worker runs before five minutes from now (-DeferBy 300 says the same in seconds).</para></example>
/// </summary>
/// <example><code>$job = 1..3 | Submit-ArqJob -Function Square -AsJob; Wait-Job $job | Receive-Job</code><para>Submits three jobs as one PowerShell job with a child job each, waits for a worker to finish them with the job cmdlets and writes their results.</para></example>
[Cmdlet(VerbsLifecycle.Submit, "ArqJob", DefaultParameterSetName = Now)]
[OutputType(typeof(ArqJob))]
public sealed class SubmitArqJobCommand : ArqCmdlet
{
    private const string Now = "Now";

    /// <summary><para type="description">The function to run, as the worker registered it (Actor.Method or a function name).</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FunctionCompleter))]
    public string Function { get; set; } = "";

    /// <summary><para type="description">Positional arguments.</para></summary>
    [Parameter(Position = 1)]
    public object?[]? ArgumentList { get; set; }

    /// <summary><para type="description">Named arguments; use [ordered]@{} to keep their order.</para></summary>
    [Parameter]
    public IDictionary? Parameters { get; set; }

    /// <summary><para type="description">Pipeline input: each object becomes one job.</para></summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary><para type="description">Pass each input object's properties (or a hashtable's keys) as named
    /// arguments instead of the object as the first argument.</para></summary>
    [Parameter]
    public SwitchParameter ByPropertyName { get; set; }

    /// <summary><para type="description">The queue (the Redis key of its sorted set); arq:queue by default.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string? Queue { get; set; }

    /// <summary><para type="description">The job id; a random one by default.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary><para type="description">Run no sooner than this long from now: seconds, or a time span such as '00:05:00'.</para></summary>
    [Parameter(ParameterSetName = "DeferBy", Mandatory = true)]
    [Duration(AllowZero = true)]
    public TimeSpan DeferBy { get; set; }

    /// <summary><para type="description">Run no sooner than this time (local time unless the DateTime says UTC).</para></summary>
    [Parameter(ParameterSetName = "DeferUntil", Mandatory = true)]
    public DateTime DeferUntil { get; set; }

    /// <summary><para type="description">Drop the job if it has not started this long after it was enqueued: seconds, or a time span.</para></summary>
    [Parameter]
    [Duration]
    public TimeSpan Expires { get; set; }

    /// <summary><para type="description">Jobs this one runs after, a continuation: ArqJob objects or job ids. It waits (status Waiting) until every one has finished, then runs; if one failed for good it fails as ParentFailed without running, unless -AfterAnyOutcome. Its function reads their results in $ArqContext.Parents. A script block runs for each piped object, $_ being the object: Submit-ArqJob Get-Report | Submit-ArqJob Send-Report -After { $_ } runs Send-Report after Get-Report. A piped ArqJob that is a parent is not also an argument.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? After { get; set; }

    /// <summary><para type="description">With -After, run once the parents have finished, whether they succeeded or failed.</para></summary>
    [Parameter]
    public SwitchParameter AfterAnyOutcome { get; set; }

    /// <summary><para type="description">Return one PowerShell job for all the jobs this command submits, with a child job for each, so that Get-Job, Wait-Job, Receive-Job, Stop-Job and Remove-Job work on them.</para></summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private readonly List<Job> submitted = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        object?[] args;
        Dictionary<string, object?> kwargs;
        List<string>? parents;
        try
        {
            parents = Parents();
            (args, kwargs) = Arguments(pipedIsParent: parents is not null && InputObject?.BaseObject is ArqJob piped && parents.Contains(piped.Id));
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
            After = parents,
            AfterAnyOutcome = AfterAnyOutcome,
        };
        var client = GetClient();
        Job? job;
        try
        {
            job = Await(client.EnqueueAsync(Function, args, kwargs, options, StopToken));
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "InvalidJobOptions", ErrorCategory.InvalidArgument, Function));
            return;
        }
        if (job is null)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException($"A job with the id '{JobId}' is already queued or has a kept result; nothing was enqueued."),
                "DuplicateJobId", ErrorCategory.ResourceExists, JobId));
            return;
        }
        if (AsJob)
        {
            submitted.Add(job);
            return;
        }
        var due = parents is not null ? Await(job.GetStatusAsync()) // waiting, or queued (or failed) if its parents had finished
            : job.Enqueued!.DueTime > DateTimeOffset.UtcNow ? JobStatus.Deferred : JobStatus.Queued;
        WriteObject(ArqJob.From(client, job, due, job.Enqueued));
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (AsJob) WriteObject(ArqPSJob.Start(MyInvocation, submitted, JobManager));
    }

    /// <summary>The ids of the jobs -After names, a script block run with $_ as the piped object; null without -After.</summary>
    private List<string>? Parents()
    {
        if (After is null) return null;
        var ids = new List<string>();
        foreach (var item in After)
        {
            var values = item is ScriptBlock block
                ? block.InvokeWithContext(null, [new PSVariable("_", InputObject)]).Select(o => o?.BaseObject)
                : [item is PSObject wrapped ? wrapped.BaseObject : item];
            foreach (var value in values)
            {
                ids.Add(value switch
                {
                    ArqJob job => job.Id,
                    string { Length: > 0 } id => id,
                    _ => throw new ArgumentException($"-After takes ArqJob objects or job ids, but was given {value?.GetType().Name ?? "$null"}."),
                });
            }
        }
        return ids.Count > 0 ? ids : throw new ArgumentException("-After named no job to run after.");
    }

    private (object?[] Args, Dictionary<string, object?> Kwargs) Arguments(bool pipedIsParent)
    {
        var fromPipeline = MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)) && !pipedIsParent;
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var positional = new List<object?>();
        if (fromPipeline && ByPropertyName)
        {
            if (PowerShellValue.ToPlain(InputObject, "The input object") is not Dictionary<string, object?> properties)
                throw new ArgumentException($"-ByPropertyName needs objects with properties, or hashtables keyed by names, but the input is {InputObject?.BaseObject.GetType().Name ?? "$null"}{(InputObject?.BaseObject is IDictionary ? " with keys that are not strings" : "")}.");
            foreach (var (name, value) in properties) kwargs[name] = value;
        }
        else if (fromPipeline)
        {
            positional.Add(PowerShellValue.ToPlain(InputObject, "Argument 0"));
        }
        foreach (var value in ArgumentList ?? []) positional.Add(PowerShellValue.ToPlain(value, $"Argument {positional.Count}"));
        foreach (DictionaryEntry entry in Parameters ?? new Hashtable())
        {
            var name = entry.Key.ToString()!;
            kwargs[name] = PowerShellValue.ToPlain(entry.Value, $"Parameter '{name}'");
        }
        return (positional.ToArray(), kwargs);
    }
}
