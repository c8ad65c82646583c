namespace Arq.Protocol;

/// <summary>
/// The Lua scripts that do in one round trip what arq does with WATCH/MULTI/EXEC, leaving the same keys and values
/// (docs/protocol.md). StackExchange.Redis sends them by SHA once the server knows them.
/// </summary>
internal static class ArqScripts
{
    /// <summary>
    /// §4 enqueue. KEYS: job, result, queue, in-progress. ARGV: expiry ms, job bytes, score, job id.
    /// Returns 0 for a duplicate (job, result or in-progress key exists), 1 when enqueued. arq checks only the job and
    /// result keys; the in-progress key adds nothing for an ordinary job (its job key lives as long), but stops a
    /// cron run that just finished, whose in-progress key is kept for 60 s, from being enqueued again. Arq's own addition: a PUBLISH on the
    /// channel named like the queue (<see cref="ArqKeys.WakeChannel"/>), so that idle Arq workers start the job
    /// at once instead of at their next poll; arq ignores it.
    /// </summary>
    public const string Enqueue = """
        if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[4]) > 0 then return 0 end
        redis.call('PSETEX', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
        redis.call('PUBLISH', KEYS[3], '')
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

    /// <summary>
    /// §5 claim and run start, for many jobs in one call. KEYS: the queues in priority order, then the abort set.
    /// ARGV: now ms, free slots, lease ms, allow aborts (1/0), queue read limit, fetch abort ids (1/0), largest job
    /// bytes (0: no limit), the worker's id. For each due job (score not 0) whose in-progress key is absent: set it
    /// to the worker's id (arq writes '1' and reads only whether it exists) with the lease as TTL, INCRBY and EXPIRE the retry key, ZREM the abort set (when aborts are allowed), GET the job (or, when it
    /// is larger than the limit, only its length). Returns {{id, queue index, score, try, aborted, job or its
    /// length or false}...}, {abort ids}, number of ids in all queues.
    /// </summary>
    public const string Claim = """
        local free = tonumber(ARGV[2])
        local maxBytes = tonumber(ARGV[7])
        local abortKey = KEYS[#KEYS]
        local allowAbort = ARGV[4] == '1'
        local claimed = {}
        local queued = 0
        for q = 1, #KEYS - 1 do
          queued = queued + redis.call('ZCARD', KEYS[q])
          if free > 0 then
            local due = redis.call('ZRANGEBYSCORE', KEYS[q], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[5])
            for i = 1, #due, 2 do
              if free <= 0 then break end
              local id, score = due[i], due[i + 1]
              local inProgress = 'arq:in-progress:' .. id
              if tonumber(score) ~= 0 and redis.call('EXISTS', inProgress) == 0 then
                redis.call('PSETEX', inProgress, ARGV[3], ARGV[8])
                local retry = 'arq:retry:' .. id
                local try = redis.call('INCRBY', retry, 1)
                redis.call('EXPIRE', retry, 88400)
                local aborted = 0
                if allowAbort then aborted = redis.call('ZREM', abortKey, id) end
                local job = 'arq:job:' .. id
                local size = maxBytes > 0 and redis.call('STRLEN', job) or 0
                claimed[#claimed + 1] = {id, q, score, try, aborted, size > maxBytes and size or redis.call('GET', job)}
                free = free - 1
              end
            end
          end
        end
        local aborts = {}
        if allowAbort and ARGV[6] == '1' then aborts = redis.call('ZRANGE', abortKey, 0, -1) end
        return {claimed, aborts, queued}
        """;

    /// <summary>
    /// §6/§7 finish, for one job or many: SET the result (unless not kept, or written beside this script), ZREM the job
    /// from the abort set and its queue, DEL its retry and job keys and its in-progress key, or for a cron job keep
    /// that for 60 s (arq's keep_cronjob_progress), as arq's finish transaction does. Arq's additions: count the
    /// outcome in <c>&lt;queue&gt;:stats</c>, and keep a failed id in <c>&lt;queue&gt;:failures</c> (the latest 100).
    /// ARGV: the abort set, then for each job: id, queue, cron (1/0), success (1/0), keep ms (-1: for ever, 0: no
    /// result, x: the worker SETs it itself), result. Redis copies a script's arguments into Lua and back, ~5 µs per
    /// KB, so the worker passes small results here (one call a batch) and SETs large ones in a MULTI around it.
    /// </summary>
    public const string Finish = """
        for i = 2, #ARGV, 6 do
          local id, queue, keep = ARGV[i], ARGV[i + 1], ARGV[i + 4]
          if keep == '-1' then redis.call('SET', 'arq:result:' .. id, ARGV[i + 5])
          elseif keep ~= '0' and keep ~= 'x' then redis.call('SET', 'arq:result:' .. id, ARGV[i + 5], 'PX', keep) end
          redis.call('ZREM', ARGV[1], id)
          redis.call('ZREM', queue, id)
          if ARGV[i + 2] == '1' then
            redis.call('PEXPIRE', 'arq:in-progress:' .. id, 60000)
            redis.call('DEL', 'arq:retry:' .. id, 'arq:job:' .. id)
          else
            redis.call('DEL', 'arq:in-progress:' .. id, 'arq:retry:' .. id, 'arq:job:' .. id)
          end
          if ARGV[i + 3] == '1' then
            redis.call('HINCRBY', queue .. ':stats', 'complete', 1)
          else
            redis.call('HINCRBY', queue .. ':stats', 'failed', 1)
            redis.call('LPUSH', queue .. ':failures', id)
            redis.call('LTRIM', queue .. ':failures', 0, 99)
          end
        end
        return (#ARGV - 1) / 6
        """;

    /// <summary>
    /// §6 retry, or a job handed back at shutdown. KEYS: queue, in-progress. ARGV: job id, score increment
    /// (0 keeps the score, so the job is due again at once).
    /// </summary>
    public const string Retry = """
        if tonumber(ARGV[2]) ~= 0 then redis.call('ZINCRBY', KEYS[1], ARGV[2], ARGV[1]) end
        redis.call('DEL', KEYS[2])
        return 1
        """;

    /// <summary>
    /// Renews the leases of running jobs. ARGV: lease ms, then job ids. Only existing keys are extended: a job that
    /// has just finished or been retried has no key, and must not get one back.
    /// </summary>
    public const string RenewLeases = """
        for i = 2, #ARGV do redis.call('PEXPIRE', 'arq:in-progress:' .. ARGV[i], ARGV[1]) end
        return #ARGV - 1
        """;

    /// <summary>
    /// Queue counts. KEYS: queue. ARGV: now ms, how many due ids to inspect. Returns total, due, in-progress among the
    /// inspected due ids, the score of the oldest due job not in progress (or false), the health-check line (or false).
    /// </summary>
    public const string QueueInfo = """
        local total = redis.call('ZCARD', KEYS[1])
        local due = redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[1])
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[2])
        local running, oldest = 0, false
        for i = 1, #ids, 2 do
          if redis.call('EXISTS', 'arq:in-progress:' .. ids[i]) == 1 then running = running + 1
          elseif not oldest then oldest = ids[i + 1] end
        end
        return {total, due, running, oldest, redis.call('GET', KEYS[1] .. ':health-check'),
          redis.call('HMGET', KEYS[1] .. ':stats', 'complete', 'failed')}
        """;

    /// <summary>
    /// The jobs of a queue in score order. KEYS: queue. ARGV: how many. Returns {id, score, in progress (0/1),
    /// job bytes or false} for each.
    /// </summary>
    public const string ListJobs = """
        local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
        local jobs = {}
        for i = 1, #ids, 2 do
          local id = ids[i]
          jobs[#jobs + 1] = {id, ids[i + 1], redis.call('EXISTS', 'arq:in-progress:' .. id), redis.call('GET', 'arq:job:' .. id)}
        end
        return jobs
        """;

    /// <summary>
    /// Deletes a job that is not running: its job, retry and result keys and its place in the queue and abort set.
    /// KEYS: queue, abort set, in-progress, job, retry, result. ARGV: job id. Returns -1 when it runs (nothing is
    /// deleted), else how many of its keys and entries were removed.
    /// </summary>
    public const string RemoveJob = """
        if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
        return redis.call('DEL', KEYS[4], KEYS[5], KEYS[6]) + redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
        """;

    /// <summary>
    /// Empties a queue of the jobs that are not running, deleting their job and retry keys. KEYS: queue.
    /// Returns how many jobs were removed; running jobs stay and finish as usual.
    /// </summary>
    public const string ClearQueue = """
        local removed, kept = 0, 0
        while true do
          local ids = redis.call('ZRANGE', KEYS[1], kept, kept + 999)
          if #ids == 0 then break end
          for _, id in ipairs(ids) do
            if redis.call('EXISTS', 'arq:in-progress:' .. id) == 1 then kept = kept + 1
            else
              redis.call('DEL', 'arq:job:' .. id, 'arq:retry:' .. id)
              redis.call('ZREM', KEYS[1], id)
              removed = removed + 1
            end
          end
        end
        return removed
        """;
}
