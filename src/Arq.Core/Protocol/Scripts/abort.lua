-- §11 abort request. KEYS: queue, abort set. ARGV: job id, now ms. A deferred job is made due now (score 1) so that
-- a worker sees the abort at once.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], 1, ARGV[1]) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
