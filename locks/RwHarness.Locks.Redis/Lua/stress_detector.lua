-- stress_detector.lua: the stress's overlap detector, independent of the lock's own keys.
-- Every client records itself here when it enters and leaves its critical section.
--
-- KEYS[1] writers-in  zset   token -> entry expiry (server ms)
-- KEYS[2] readers-in  zset   token -> entry expiry (server ms)
-- KEYS[3] overlaps    string count of entries that found a conflicting holder inside
-- KEYS[4] ops         string count of completed critical sections
-- ARGV[1] op          'enter' or 'exit'
-- ARGV[2] kind        'w' or 'r'
-- ARGV[3] token       the holder's lease token
-- ARGV[4] ttl         entry lifetime in ms: shorter than the lock lease, so a holder that was
--                     killed or paused ages out of the detector before the lock can be
--                     granted to the next holder (no false overlap from a dead process)
--
-- Returns 1 from 'enter' when an overlap was detected (a writer with anyone else, or a reader
-- with a writer), else 0.

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)

if ARGV[1] == 'enter' then
  local w = redis.call('ZCARD', KEYS[1])
  local r = redis.call('ZCARD', KEYS[2])
  local bad = 0
  if ARGV[2] == 'w' then
    if w > 0 or r > 0 then bad = 1 end
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
  else
    if w > 0 then bad = 1 end
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
  end
  if bad == 1 then redis.call('INCR', KEYS[3]) end
  return bad
end

redis.call('ZREM', KEYS[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('INCR', KEYS[4])
return 0
