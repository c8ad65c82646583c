-- §5 claim and run start, for the due jobs a worker has just read from one queue (ZRANGEBYSCORE). KEYS: the queue,
-- its abort set, its rate key, then each limited function's rate key, then for each candidate its in-progress, retry
-- and job keys. ARGV: now ms, free slots, lease ms, allow aborts (1/0), largest job bytes (0: no limit), the worker's
-- id, the queue's rate limit (count, 0 for none, and period ms), the number of limited functions, then for each its
-- name, count and period ms, then the candidates' ids. For each candidate still due (in the queue, score not 0 and not
-- after now) whose in-progress key is absent and whose rate limits have room: set it to the worker's id (arq writes
-- '1' and reads only whether it exists) with the lease as TTL, INCRBY and EXPIRE the retry key, ZREM the abort set
-- (when aborts are allowed), GET the job (or, when it is larger than the limit, only its length).
-- Arq's rate limits (its own keys; arq's workers ignore them): a sliding window, the starts of the last period in a
-- sorted set scored by start time, by the server's clock (TIME), which all the queue's workers share: theirs may
-- differ, and the now they pass was read before their claim's first round trip. A job over a limit is left as it is,
-- its try unspent.
-- Returns {{{candidate number, score, try, aborted, job or its length or false}...}, ms until a limit that held a job
-- back has room again (0: none did), 1 when the queue's own limit is used up (else 0)}.
local now, free, maxBytes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5])
local allowAbort = ARGV[4] == '1'
local wait, clock = 0, nil

-- The server's time in ms, read once, and only when a limit needs it.
local function serverNow()
  if not clock then
    local time = redis.call('TIME')
    clock = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  end
  return clock
end

-- A limit's room left in its window, once the starts that left the window are dropped; when none, note how soon the
-- oldest start leaves it.
local function room(key, count, period)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', serverNow() - period)
  local used = redis.call('ZCARD', key)
  if used < count then return count - used end
  local freesIn = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]) + period - serverNow()
  if wait == 0 or freesIn < wait then wait = freesIn end
  return 0
end

local function started(key, period, id, try)
  redis.call('ZADD', key, serverNow(), id .. ':' .. try) -- a member, not a key: one per start, a retry's too
  redis.call('PEXPIRE', key, period)
end

local queueLimit, queuePeriod = tonumber(ARGV[7]), tonumber(ARGV[8])
if queueLimit > 0 then free = math.min(free, room(KEYS[3], queueLimit, queuePeriod)) end
local queueExhausted = queueLimit > 0 and free == 0

local limits, functions = {}, tonumber(ARGV[9])
for f = 1, functions do
  limits[ARGV[7 + 3 * f]] = {key = KEYS[3 + f], count = tonumber(ARGV[8 + 3 * f]), period = tonumber(ARGV[9 + 3 * f])}
end
local firstId, firstKey = 10 + 3 * functions, 4 + functions

-- The function a job calls, read only when some function is limited (a job the worker cannot decode has none here,
-- and fails in the worker as malformed).
local function functionOf(job)
  if functions == 0 or (maxBytes > 0 and redis.call('STRLEN', job) > maxBytes) then return nil end
  local ok, message = pcall(cmsgpack.unpack, redis.call('GET', job))
  if ok and type(message) == 'table' then return message['f'] end
  return nil
end

local claimed = {}
for c = 1, #ARGV - firstId + 1 do
  if free <= 0 then break end
  local id, k = ARGV[firstId + c - 1], firstKey + 3 * (c - 1)
  local inProgress, retry, job = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and tonumber(score) ~= 0 and tonumber(score) <= now and redis.call('EXISTS', inProgress) == 0 then
    local limit = limits[functionOf(job) or false]
    if limit and limit.room == nil then limit.room = room(limit.key, limit.count, limit.period) end
    if not limit or limit.room > 0 then
      redis.call('PSETEX', inProgress, ARGV[3], ARGV[6])
      local try = redis.call('INCRBY', retry, 1)
      redis.call('EXPIRE', retry, RETRY_KEY_SECONDS)
      local aborted = 0
      if allowAbort then aborted = redis.call('ZREM', KEYS[2], id) end
      local size = maxBytes > 0 and redis.call('STRLEN', job) or 0
      claimed[#claimed + 1] = {c, score, try, aborted, size > maxBytes and size or redis.call('GET', job)}
      free = free - 1
      if queueLimit > 0 then started(KEYS[3], queuePeriod, id, try) end
      if limit then
        limit.room = limit.room - 1
        started(limit.key, limit.period, id, try)
      end
    end
  end
end
if queueLimit > 0 and not queueExhausted then queueExhausted = room(KEYS[3], queueLimit, queuePeriod) == 0 end
return {claimed, wait, queueExhausted and 1 or 0}
