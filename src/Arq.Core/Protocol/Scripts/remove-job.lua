-- Deletes a job that is not running: its job, retry, result and streams keys and its place in the queue and abort set,
-- in the parents set (its continuations, if any, then wait until they expire) and in the waiting set. KEYS: queue,
-- abort set, in-progress, job, retry, result, streams, parents set, waiting set. ARGV: job id. Returns -1 when it runs (nothing is deleted),
-- else how many of its keys and entries were removed.
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
redis.call('SREM', KEYS[8], ARGV[1])
redis.call('ZREM', KEYS[9], ARGV[1])
return redis.call('DEL', KEYS[4], KEYS[5], KEYS[6], KEYS[7]) + redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
