namespace Arq.Protocol;

/// <summary>
/// The Lua scripts that do in one round trip what arq does with WATCH/MULTI/EXEC, leaving the same keys and values
/// (PROTOCOL.md). StackExchange.Redis sends them by SHA once the server knows them.
/// </summary>
internal static class ArqScripts
{
    /// <summary>
    /// §4 enqueue. KEYS: job, result, queue. ARGV: expiry ms, job bytes, score, job id.
    /// Returns 0 for a duplicate (job or result key exists), 1 when enqueued.
    /// </summary>
    public const string Enqueue = """
        if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
        redis.call('PSETEX', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
        return 1
        """;

    /// <summary>
    /// §11 abort request. KEYS: queue, abort set. ARGV: job id, now ms.
    /// A deferred job is made due now (score 1) so that a worker sees the abort at once.
    /// </summary>
    public const string Abort = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if score and tonumber(score) > tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], 1, ARGV[1]) end
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
        return 1
        """;
}
