-- Queue counts. KEYS: queue. ARGV: now ms, how many due ids to inspect. Returns total, due, in-progress among the
-- inspected due ids, the score of the oldest due job not in progress (or false), the health-check line (or false).
local total = redis.call('ZCARD', KEYS[1])
local due = redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[2])
local running, oldest = 0, false
for i = 1, #ids, 2 do
  if redis.call('EXISTS', IN_PROGRESS .. ids[i]) == 1 then running = running + 1
  elseif not oldest then oldest = ids[i + 1] end
end
return {total, due, running, oldest, redis.call('GET', KEYS[1] .. HEALTH_CHECK),
  redis.call('HMGET', KEYS[1] .. STATS, 'complete', 'failed')}
