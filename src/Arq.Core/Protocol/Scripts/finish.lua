-- §6/§7 finish, for jobs of one queue: SET the result (unless not kept, or written beside this script), ZREM the job
-- from the abort set and the queue, DEL its retry and job keys and its in-progress key, or for a cron job keep that
-- for 60 s (arq's keep_cronjob_progress), as arq's finish transaction does. Arq's additions: count the outcome in the
-- queue's stats, keep a failed id in its failures list (the latest 100) and a completed one in its completed list (the
-- latest 1000, pushed once a call, for the dashboard's lists); keep a failed job's result as a dead letter (a hash of
-- results by id, and an index scored by when each failed, trimmed to a count and an age); release its continuations.
-- Continuations: a job in the parents set is finished only when the worker gives its children key and the children it
-- read there, each with its after key, its queue and its queue's waiting set; each child's count of parents to wait
-- for goes down (its failed parent noted if this job failed), and a child with none left leaves the waiting set for
-- its queue, at its score (one whose after key expired with it just leaves the waiting set). A parent given no
-- children key, or fewer children than it has (one was added since the worker read them), is left as it is and its id
-- returned, for the worker to finish it again. The parents set is read once a call: empty, no job is looked up in it.
-- KEYS: the queue, its abort set, stats, failures, completed, dead letters, dead letters' index and parents keys, then
-- for each job its result, in-progress, retry and job keys, its children key when given, and for each child given its
-- after key, queue and waiting set. ARGV: now ms, dead letters kept (0: none), their age ms; then for each job: id, cron (1/0),
-- success (1/0), keep ms (-1: for ever, 0: no result, x: the worker SETs it itself), result (a failed job's even
-- when not kept, for its dead letter), the number of its children given (-1: no children key), then their ids.
-- Redis copies a script's arguments into Lua and back, ~5 µs per KB, so the worker passes small results here (one
-- call a batch) and SETs large ones in a MULTI around it.
-- Returns the ids of the jobs left for their children.
local now, deadKept, deadAge = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local completed, left, failed = {}, {}, false
local anyParents = redis.call('SCARD', KEYS[8]) > 0
local k, a = 9, 4
while a <= #ARGV do
  local id, cron, success, keep, value = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local given = tonumber(ARGV[a + 5])
  local result, inProgress, retry, job, children = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local isParent = anyParents and redis.call('SISMEMBER', KEYS[8], id) == 1
  if isParent and (given < 0 or redis.call('HLEN', children) ~= given) then
    left[#left + 1] = id
  else
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
      if deadKept > 0 then
        redis.call('HSET', KEYS[6], id, value)
        redis.call('ZADD', KEYS[7], now, id)
        failed = true
      end
    end
    if isParent then
      for c = 1, given do
        local child, after, queue, waiting = ARGV[a + 5 + c], KEYS[k + 2 + 3 * c], KEYS[k + 3 + 3 * c], KEYS[k + 4 + 3 * c]
        if redis.call('EXISTS', after) == 0 then
          redis.call('ZREM', waiting, child)
        else
          if success ~= '1' then redis.call('HSETNX', after, 'failed', id) end
          if redis.call('HINCRBY', after, 'waiting', -1) <= 0 then
            redis.call('ZREM', waiting, child)
            redis.call('ZADD', queue, redis.call('HGET', after, 'score'), child)
            redis.call('PUBLISH', queue, '')
          end
        end
      end
      redis.call('DEL', children)
      redis.call('SREM', KEYS[8], id)
    end
  end
  if given < 0 then k = k + 4 else k = k + 5 + 3 * given end
  a = a + 6 + math.max(given, 0)
end
if #completed > 0 then
  for first = 1, #completed, 1000 do redis.call('LPUSH', KEYS[5], unpack(completed, first, math.min(first + 999, #completed))) end
  redis.call('LTRIM', KEYS[5], 0, COMPLETED_KEPT - 1)
end
if failed then
  -- The dead letters past their age, then past their count, oldest first.
  local gone = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now - deadAge)
  local over = redis.call('ZCARD', KEYS[7]) - #gone - deadKept
  if over > 0 then gone = redis.call('ZRANGE', KEYS[7], 0, #gone + over - 1) end
  for first = 1, #gone, 1000 do
    local chunk = {unpack(gone, first, math.min(first + 999, #gone))}
    redis.call('HDEL', KEYS[6], unpack(chunk))
    redis.call('ZREM', KEYS[7], unpack(chunk))
  end
end
return left
