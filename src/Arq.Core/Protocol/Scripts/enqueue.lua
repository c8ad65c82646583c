-- §4 enqueue. KEYS: job, result, queue, in-progress. ARGV: expiry ms, job bytes, score, job id. Returns 0 for a
-- duplicate (job, result or in-progress key exists), 1 when enqueued. arq checks only the job and result keys; the
-- in-progress key adds nothing for an ordinary job (its job key lives as long), but stops a cron run that just
-- finished, whose in-progress key is kept for 60 s, from being enqueued again. Arq's own addition: a PUBLISH on the
-- channel named like the queue (ArqKeys.WakeChannel), so that idle Arq workers start the job at once instead of at
-- their next poll; arq ignores it.
if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[4]) > 0 then return 0 end
redis.call('PSETEX', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
redis.call('PUBLISH', KEYS[3], '')
return 1
