-- §6/§7 finish, for one job or many: SET the result (unless not kept, or written beside this script), ZREM the job
-- from the abort set and its queue, DEL its retry and job keys and its in-progress key, or for a cron job keep that
-- for 60 s (arq's keep_cronjob_progress), as arq's finish transaction does. Arq's additions: count the outcome in
-- <queue>:stats, keep a failed id in <queue>:failures (the latest 100) and a completed one in <queue>:completed (the
-- latest 1000, pushed once a batch per queue, for the dashboard's list). ARGV: the abort set, then for each job:
-- id, queue, cron (1/0), success (1/0), keep ms (-1: for ever, 0: no result, x: the worker SETs it itself), result.
-- Redis copies a script's arguments into Lua and back, ~5 µs per KB, so the worker passes small results here (one
-- call a batch) and SETs large ones in a MULTI around it.
local completed = {}
for i = 2, #ARGV, 6 do -- 6: FinishArguments.Stride
  local id, queue, keep = ARGV[i], ARGV[i + 1], ARGV[i + 4]
  if keep == '-1' then redis.call('SET', RESULT .. id, ARGV[i + 5])
  elseif keep ~= '0' and keep ~= 'x' then redis.call('SET', RESULT .. id, ARGV[i + 5], 'PX', keep) end
  redis.call('ZREM', ARGV[1], id)
  redis.call('ZREM', queue, id)
  if ARGV[i + 2] == '1' then
    redis.call('PEXPIRE', IN_PROGRESS .. id, CRON_PROGRESS_KEEP_MS)
    redis.call('DEL', RETRY .. id, JOB .. id)
  else
    redis.call('DEL', IN_PROGRESS .. id, RETRY .. id, JOB .. id)
  end
  if ARGV[i + 3] == '1' then
    redis.call('HINCRBY', queue .. STATS, 'complete', 1)
    completed[queue] = completed[queue] or {}
    table.insert(completed[queue], id)
  else
    redis.call('HINCRBY', queue .. STATS, 'failed', 1)
    redis.call('LPUSH', queue .. FAILURES, id)
    redis.call('LTRIM', queue .. FAILURES, 0, FAILURES_KEPT - 1)
  end
end
for queue, ids in pairs(completed) do
  for first = 1, #ids, 1000 do redis.call('LPUSH', queue .. COMPLETED, unpack(ids, first, math.min(first + 999, #ids))) end
  redis.call('LTRIM', queue .. COMPLETED, 0, COMPLETED_KEPT - 1)
end
return (#ARGV - 1) / 6
