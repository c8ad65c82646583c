-- §6 retry, or a job handed back at shutdown. KEYS: queue, in-progress. ARGV: job id, score increment (0 keeps the
-- score, so the job is due again at once).
if tonumber(ARGV[2]) ~= 0 then redis.call('ZINCRBY', KEYS[1], ARGV[2], ARGV[1]) end
redis.call('DEL', KEYS[2])
return 1
