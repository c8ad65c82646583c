-- A page of a queue's jobs in one state, for listings: every state reads only the page (no walk of the queue), but
-- running jobs, which have no index of their own, are found among the first due ids. KEYS: queue, its completed
-- list, its failures list. ARGV: state (queued|deferred|running|complete|failed), now ms, offset, count, how many
-- due ids to inspect for running jobs. Returns the state's total, then for each job {id, score or false, in progress
-- (0/1), job bytes or false, result bytes or false}. 'queued' holds the due jobs in the order they run, those being
-- run among them.
local state, now, offset, count = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local ids, total = {}, 0
local function scored(min, max)
  local found = redis.call('ZRANGEBYSCORE', KEYS[1], min, max, 'WITHSCORES', 'LIMIT', offset, count)
  for i = 1, #found, 2 do ids[#ids + 1] = {found[i], found[i + 1]} end
  return redis.call('ZCOUNT', KEYS[1], min, max)
end
if state == 'queued' then
  total = scored('-inf', now)
elseif state == 'deferred' then
  total = scored('(' .. now, '+inf')
elseif state == 'running' then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, ARGV[5])
  for i = 1, #due, 2 do
    if redis.call('EXISTS', IN_PROGRESS .. due[i]) == 1 then
      total = total + 1
      if total > offset and total <= offset + count then ids[#ids + 1] = {due[i], due[i + 1]} end
    end
  end
else
  local list = state == 'complete' and KEYS[2] or KEYS[3]
  for _, id in ipairs(redis.call('LRANGE', list, offset, offset + count - 1)) do ids[#ids + 1] = {id, false} end
  total = redis.call('LLEN', list)
end
local page = {total}
for _, entry in ipairs(ids) do
  local id = entry[1]
  page[#page + 1] = {id, entry[2], redis.call('EXISTS', IN_PROGRESS .. id), redis.call('GET', JOB .. id), redis.call('GET', RESULT .. id)}
end
return page
