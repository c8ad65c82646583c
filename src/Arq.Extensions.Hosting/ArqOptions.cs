namespace Arq.Hosting;

/// <summary>
/// Where Arq's Redis is and how jobs are enqueued: the <c>"Arq"</c> section of the configuration
/// (<c>appsettings.json</c>, environment variables such as <c>Arq__Redis</c>), then what <c>AddArqClient</c>'s
/// delegate sets. Checked when the host starts; a wrong value stops it with an error that names the setting.
/// </summary>
public sealed class ArqOptions
{
    /// <summary>The configuration section read: <c>Arq</c>.</summary>
    public const string SectionName = "Arq";

    /// <summary>A StackExchange.Redis configuration string or a <c>redis://</c> / <c>rediss://</c> URL; when null,
    /// <c>ARQ_REDIS_URL</c>, else <c>localhost:6379</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>The queue used when an enqueue names none, and the worker's queue when it names none.</summary>
    public string DefaultQueue { get; set; } = Protocol.ArqKeys.DefaultQueue;

    /// <summary>How long a job lives after it is due when no expiry is given (arq's <c>expires_extra_ms</c>).</summary>
    public TimeSpan ExpiresExtra { get; set; } = new ArqClientOptions().ExpiresExtra;

    /// <summary>How keys are named, for the client and the worker: <c>Arq</c> (arq 0.26's names, shared with Python
    /// arq) or <c>Cluster</c> (hash-tagged per queue, for Redis Cluster).</summary>
    public Protocol.KeyLayout KeyLayout { get; set; } = Protocol.KeyLayout.Arq;

    internal ArqClientOptions ToClientOptions(TimeProvider clock) =>
        new() { DefaultQueue = DefaultQueue, ExpiresExtra = ExpiresExtra, KeyLayout = KeyLayout, Clock = clock };
}
