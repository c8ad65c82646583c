-- Empties a queue of the jobs that are not running, deleting their job and retry keys. KEYS: queue. Returns how
-- many jobs were removed; running jobs stay and finish as usual.
local removed, kept = 0, 0
while true do
  local ids = redis.call('ZRANGE', KEYS[1], kept, kept + 999)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    if redis.call('EXISTS', IN_PROGRESS .. id) == 1 then kept = kept + 1
    else
      redis.call('DEL', JOB .. id, RETRY .. id)
      redis.call('ZREM', KEYS[1], id)
      removed = removed + 1
    end
  end
end
return removed
