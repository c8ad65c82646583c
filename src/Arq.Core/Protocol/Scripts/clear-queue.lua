-- Empties a queue, a chunk of ids at a time, of the jobs that are not running, deleting their job and retry keys and
-- their place in the parents set. KEYS: queue, parents set, then for each id of the chunk its in-progress, retry and
-- job keys. ARGV: the chunk's ids. Returns how many were removed and how many stay (running jobs stay and finish as
-- usual).
local removed, kept = 0, 0
for i = 1, #ARGV do
  if redis.call('EXISTS', KEYS[3 * i]) == 1 then kept = kept + 1
  else
    redis.call('DEL', KEYS[3 * i + 1], KEYS[3 * i + 2])
    redis.call('SREM', KEYS[2], ARGV[i])
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return {removed, kept}
