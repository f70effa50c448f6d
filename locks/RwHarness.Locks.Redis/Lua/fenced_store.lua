-- fenced_store.lua: the guarded-resource example. A value that only accepts operations
-- carrying a fencing token at least as new as the newest it has seen.
--
-- KEYS[1] value    string  the guarded value
-- KEYS[2] seen     string  the highest fencing token this store has accepted
-- KEYS[3] writes   string  count of accepted writes (lets a checker compare it with the value)
-- ARGV[1] op       'r' read, 'w' write
-- ARGV[2] fence    the caller's fencing token (from its write lease)
-- ARGV[3] value    the new value (writes only)
--
-- Returns {1, value} for an accepted read ('' when unset), {1, ''} for an accepted write,
-- {0, seen} when the token is stale: a newer holder has touched the store since, so this
-- caller's lease must have expired (paused process, network delay) and it is refused.
--
-- Reads register the token too: a new holder's read raises `seen` before it computes its
-- write, so a paused old holder's read-modify-write is refused even if the new holder has
-- not written yet.

local seen = tonumber(redis.call('GET', KEYS[2]) or '0')
local fence = tonumber(ARGV[2])
if fence < seen then
  return {0, tostring(redis.call('GET', KEYS[2]))}
end
if fence > seen then
  redis.call('SET', KEYS[2], ARGV[2])
end
if ARGV[1] == 'r' then
  return {1, redis.call('GET', KEYS[1]) or ''}
end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('INCR', KEYS[3])
return {1, ''}
