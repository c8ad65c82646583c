using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>What every Arq cmdlet shares: the -Redis parameter and the session's client for it.</summary>
public abstract class ArqCmdlet : PSCmdlet
{
    /// <summary>
    /// <para type="description">The Redis to use: a configuration string (host:port,password=…) or a redis:// or
    /// rediss:// URL. Without it: the ARQ_REDIS_URL environment variable, else localhost:6379.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Redis { get; set; }

    /// <summary>The session's client for <see cref="Redis"/>.</summary>
    protected ArqClient Client => ClientCache.Get(Redis);

    /// <summary>Runs an async Arq call to completion on the pipeline thread.</summary>
    protected static T Await<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
