using System.Globalization;

namespace Arq.Protocol;

/// <summary>
/// The Lua scripts that do in one round trip what arq does with WATCH/MULTI/EXEC, leaving the same keys and values
/// (docs/protocol.md). Each lives in Protocol/Scripts/*.lua with its KEYS, ARGV and reply written at its top. Every
/// key a script touches is passed to it in KEYS, never built inside it, as Redis Cluster requires; the numbers they
/// share come from <see cref="ArqKeys"/>, set before each script as Lua locals. StackExchange.Redis sends a script by
/// SHA once the server knows it.
/// </summary>
internal static class ArqScripts
{
    /// <summary>The numbers every script may use, from <see cref="ArqKeys"/>; first, since the scripts below need it
    /// when they load.</summary>
    private static readonly string Prelude = string.Create(CultureInfo.InvariantCulture,
        $"local RETRY_KEY_SECONDS, CRON_PROGRESS_KEEP_MS, FAILURES_KEPT, COMPLETED_KEPT = {ArqKeys.RetryKeySeconds}, {ArqKeys.CronProgressKeepMs}, {ArqKeys.FailuresKept}, {ArqKeys.CompletedKept}\n");

    public static readonly string Enqueue = Load("enqueue");
    public static readonly string EnqueueAfter = Load("enqueue-after");
    public static readonly string Abort = Load("abort");
    public static readonly string Claim = Load("claim");
    public static readonly string Finish = Load("finish");
    public static readonly string Retry = Load("retry");
    public static readonly string RetakeLease = Load("retake-lease");
    public static readonly string QueueInfo = Load("queue-info");
    public static readonly string RemoveJob = Load("remove-job");
    public static readonly string ClearQueue = Load("clear-queue");
    public static readonly string RetryFailed = Load("retry-failed");

    private static string Load(string name)
    {
        using var stream = typeof(ArqScripts).Assembly.GetManifestResourceStream($"Arq.Protocol.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"The script {name}.lua is not embedded in Arq.Core.");
        using var reader = new StreamReader(stream);
        return Prelude + reader.ReadToEnd();
    }
}
