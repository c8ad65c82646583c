-- Arq's dead letters: submits a job that failed for good again under its id, as it was first enqueued (its function
-- and arguments): drops it from the dead letters and the failures list, DELs its result and streams, then enqueues it
-- as enqueue.lua does. KEYS: the queue's dead letters, their index and its failures list, then the job's job,
-- result, queue, in-progress and streams keys.
-- ARGV: job id, expiry ms, job bytes, score. Returns -1 when the job is no dead letter (any more), 0 when a job with
-- its id is queued or running, 1 when enqueued.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
if redis.call('EXISTS', KEYS[4], KEYS[7]) > 0 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('LREM', KEYS[3], 0, ARGV[1])
redis.call('DEL', KEYS[5], KEYS[8])
redis.call('PSETEX', KEYS[4], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[1])
redis.call('PUBLISH', KEYS[6], '')
return 1
