-- Takes a running job's lapsed lease again for its worker, if the job is still in its queue and nobody else has taken
-- it. KEYS: queue, the job's in-progress key. ARGV: job id, lease ms, the worker's id. Returns 1 when taken.
if redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('PSETEX', KEYS[2], ARGV[2], ARGV[3])
  return 1
end
return 0
