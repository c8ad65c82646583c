-- Arq's continuations (EnqueueOptions.After): §4's enqueue of a job that runs after others, its parents. KEYS: job,
-- result, queue, in-progress, the job's after key, the parents set, the queue's waiting set, then for each parent its
-- job, result and children keys. ARGV:
-- expiry ms, job bytes, score, job id, queue name, how long a parent's children key outlives its job key (ms), then the
-- parents' ids. A parent whose job key exists (waiting, queued or running) gets the job among its children (by id,
-- with its queue's name) and goes in the parents set, to be released by the parent's finish; one that has finished counts by its kept result's
-- 's' (success). The after key holds how many parents are still to finish, the first that failed, and the score; the
-- job waits in the queue's waiting set, or with none to wait for, goes in its queue at once. Returns 0 for a duplicate (as enqueue.lua), 1 when enqueued
-- (queued or waiting), or -n when the n-th parent is neither waiting, queued, running, nor finished with a kept
-- result: nothing is written then.
if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[4]) > 0 then return 0 end
local parents, waiting, failed = #ARGV - 6, 0, nil
for p = 1, parents do
  if redis.call('EXISTS', KEYS[5 + 3 * p]) == 0 then
    local kept = redis.call('GET', KEYS[6 + 3 * p])
    if not kept then return -p end
    local ok, result = pcall(cmsgpack.unpack, kept)
    if not (ok and type(result) == 'table' and result['s'] == true) then failed = failed or ARGV[6 + p] end
  end
end
redis.call('PSETEX', KEYS[1], ARGV[1], ARGV[2])
for p = 1, parents do
  local job, children = KEYS[5 + 3 * p], KEYS[7 + 3 * p]
  local ttl = redis.call('PTTL', job)
  if ttl ~= -2 then
    redis.call('HSET', children, ARGV[4], ARGV[5])
    redis.call('SADD', KEYS[6], ARGV[6 + p])
    -- Outlives the parent's job key, so that a parent that expires unrun still releases (and fails) its children.
    if ttl > 0 then redis.call('PEXPIRE', children, ttl + tonumber(ARGV[6])) end
    waiting = waiting + 1
  end
end
redis.call('HSET', KEYS[5], 'waiting', waiting, 'score', ARGV[3])
if failed then redis.call('HSET', KEYS[5], 'failed', failed) end
redis.call('PEXPIRE', KEYS[5], ARGV[1])
if waiting == 0 then
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
  redis.call('PUBLISH', KEYS[3], '')
else
  redis.call('ZADD', KEYS[7], ARGV[3], ARGV[4])
end
return 1
