-- §5 claim and run start, for the due jobs a worker has just read from one queue (ZRANGEBYSCORE). KEYS: the queue,
-- its abort set, then for each candidate its in-progress, retry and job keys. ARGV: now ms, free slots, lease ms,
-- allow aborts (1/0), largest job bytes (0: no limit), the worker's id, then the candidates' ids. For each candidate
-- still due (in the queue, score not 0 and not after now) whose in-progress key is absent: set it to the worker's id
-- (arq writes '1' and reads only whether it exists) with the lease as TTL, INCRBY and EXPIRE the retry key, ZREM the
-- abort set (when aborts are allowed), GET the job (or, when it is larger than the limit, only its length).
-- Returns {{candidate number, score, try, aborted, job or its length or false}...}.
local now, free, maxBytes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5])
local allowAbort = ARGV[4] == '1'
local claimed = {}
for c = 1, #ARGV - 6 do
  if free <= 0 then break end
  local id, inProgress, retry, job = ARGV[6 + c], KEYS[3 * c], KEYS[3 * c + 1], KEYS[3 * c + 2]
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and tonumber(score) ~= 0 and tonumber(score) <= now and redis.call('EXISTS', inProgress) == 0 then
    redis.call('PSETEX', inProgress, ARGV[3], ARGV[6])
    local try = redis.call('INCRBY', retry, 1)
    redis.call('EXPIRE', retry, RETRY_KEY_SECONDS)
    local aborted = 0
    if allowAbort then aborted = redis.call('ZREM', KEYS[2], id) end
    local size = maxBytes > 0 and redis.call('STRLEN', job) or 0
    claimed[#claimed + 1] = {c, score, try, aborted, size > maxBytes and size or redis.call('GET', job)}
    free = free - 1
  end
end
return claimed
