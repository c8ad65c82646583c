-- §5 claim and run start, for many jobs in one call. KEYS: the queues in priority order, then the abort set. ARGV:
-- now ms, free slots, lease ms, allow aborts (1/0), queue read limit, fetch abort ids (1/0), largest job bytes (0:
-- no limit), the worker's id. For each due job (score not 0) whose in-progress key is absent: set it to the
-- worker's id (arq writes '1' and reads only whether it exists) with the lease as TTL, INCRBY and EXPIRE the retry
-- key, ZREM the abort set (when aborts are allowed), GET the job (or, when it is larger than the limit, only its
-- length). Returns {{id, queue index, score, try, aborted, job or its length or false}...}, {abort ids}, number of
-- ids in all queues.
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
      local inProgress = IN_PROGRESS .. id
      if tonumber(score) ~= 0 and redis.call('EXISTS', inProgress) == 0 then
        redis.call('PSETEX', inProgress, ARGV[3], ARGV[8])
        local retry = RETRY .. id
        local try = redis.call('INCRBY', retry, 1)
        redis.call('EXPIRE', retry, RETRY_KEY_SECONDS)
        local aborted = 0
        if allowAbort then aborted = redis.call('ZREM', abortKey, id) end
        local job = JOB .. id
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
