-- Queue counts. KEYS: queue, its health-check, stats, paused and waiting keys, then the in-progress keys of the due ids
-- the caller has read (up to its inspection limit), in score order. ARGV: now ms. Returns total, due, in-progress among
-- the inspected due ids, the number of the first inspected one not in progress (or false), the health-check line (or
-- false), the stats' complete and failed counts, whether the queue is paused (1/0), how many continuations wait.
local running, first = 0, false
for k = 6, #KEYS do
  if redis.call('EXISTS', KEYS[k]) == 1 then running = running + 1
  elseif not first then first = k - 5 end
end
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[1]), running, first,
  redis.call('GET', KEYS[2]), redis.call('HMGET', KEYS[3], 'complete', 'failed'), redis.call('EXISTS', KEYS[4]), redis.call('ZCARD', KEYS[5])}
