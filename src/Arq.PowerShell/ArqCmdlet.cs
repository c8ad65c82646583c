using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>What every Arq cmdlet shares: -Redis, the session's client for it, and Ctrl+C that stops any wait.</summary>
/// <remarks>
/// Public types of this assembly must name no Arq.Core type in their fields, properties or attributes: PowerShell
/// analyses them on import, before the dependency load context can supply Arq.Core.
/// </remarks>
public abstract class ArqCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource stopping = new();

    /// <summary>
    /// <para type="description">The Redis to use: a configuration string (host:port,password=…) or a redis:// or
    /// rediss:// URL. Without it: the connection made by Connect-ArqRedis, else the ARQ_REDIS_URL environment
    /// variable, else localhost:6379.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Redis { get; set; }

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    protected CancellationToken StopToken => stopping.Token;

    /// <summary>The client for -Redis (or the session's default). A method, not a property: PowerShell reflects over
    /// a cmdlet's properties when it imports the module, before Arq.Core can be resolved.</summary>
    internal ArqClient GetClient() => Await(ClientCache.GetAsync(Redis));

    /// <summary>The client a piped job came from, unless -Redis names another.</summary>
    internal ArqClient ClientFor(ArqJob job) => Redis is null && job.Client is { } client ? client : GetClient();

    /// <inheritdoc/>
    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>Waits for an async Arq call on the pipeline thread; Ctrl+C stops the pipeline, and a connection
    /// failure is a terminating error that names the endpoint.</summary>
    protected T Await<T>(Task<T> task)
    {
        try
        {
            return task.WaitAsync(StopToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (ArqConnectionException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "RedisUnreachable", ErrorCategory.ConnectionError, e.Endpoints));
            throw; // not reached
        }
    }

    /// <inheritdoc cref="Await{T}(Task{T})"/>
    protected void Await(Task task) => Await(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default));
}
