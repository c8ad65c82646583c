-- §6/§7 finish, for jobs of one queue: SET the result (unless not kept, or written beside this script), ZREM the job
-- from the abort set and the queue, DEL its retry and job keys and its in-progress key, or for a cron job keep that
-- for 60 s (arq's keep_cronjob_progress), as arq's finish transaction does. Arq's additions: count the outcome in the
-- queue's stats, keep a failed id in its failures list (the latest 100) and a completed one in its completed list (the
-- latest 1000, pushed once a call, for the dashboard's lists). KEYS: the queue, its abort set, stats, failures and
-- completed keys, then for each job its result, in-progress, retry and job keys. ARGV: for each job: id, cron (1/0),
-- success (1/0), keep ms (-1: for ever, 0: no result, x: the worker SETs it itself), result.
-- Redis copies a script's arguments into Lua and back, ~5 µs per KB, so the worker passes small results here (one
-- call a batch) and SETs large ones in a MULTI around it.
local completed = {}
local jobs = #ARGV / 5 -- 5: FinishArguments.Stride
for j = 0, jobs - 1 do
  local id, cron, success, keep, value = ARGV[5 * j + 1], ARGV[5 * j + 2], ARGV[5 * j + 3], ARGV[5 * j + 4], ARGV[5 * j + 5]
  local result, inProgress, retry, job = KEYS[4 * j + 6], KEYS[4 * j + 7], KEYS[4 * j + 8], KEYS[4 * j + 9]
  if keep == '-1' then redis.call('SET', result, value)
  elseif keep ~= '0' and keep ~= 'x' then redis.call('SET', result, value, 'PX', keep) end
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[1], id)
  if cron == '1' then
    redis.call('PEXPIRE', inProgress, CRON_PROGRESS_KEEP_MS)
    redis.call('DEL', retry, job)
  else
    redis.call('DEL', inProgress, retry, job)
  end
  if success == '1' then
    redis.call('HINCRBY', KEYS[3], 'complete', 1)
    completed[#completed + 1] = id
  else
    redis.call('HINCRBY', KEYS[3], 'failed', 1)
    redis.call('LPUSH', KEYS[4], id)
    redis.call('LTRIM', KEYS[4], 0, FAILURES_KEPT - 1)
  end
end
if #completed > 0 then
  for first = 1, #completed, 1000 do redis.call('LPUSH', KEYS[5], unpack(completed, first, math.min(first + 999, #completed))) end
  redis.call('LTRIM', KEYS[5], 0, COMPLETED_KEPT - 1)
end
return jobs
