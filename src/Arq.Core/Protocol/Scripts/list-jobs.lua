-- The jobs of a queue in score order. KEYS: queue. ARGV: how many. Returns {id, score, in progress (0/1), job bytes
-- or false} for each.
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local jobs = {}
for i = 1, #ids, 2 do
  local id = ids[i]
  jobs[#jobs + 1] = {id, ids[i + 1], redis.call('EXISTS', IN_PROGRESS .. id), redis.call('GET', JOB .. id)}
end
return jobs
