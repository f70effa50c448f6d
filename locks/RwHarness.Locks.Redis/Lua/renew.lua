-- renew.lua: extend a live lease (the background renewal of a holder). One round trip, atomic.
--
-- KEYS[1] writer   string  token of the writer holding the lock
-- KEYS[2] readers  zset    reader token -> lease expiry in server milliseconds
-- ARGV[1] kind     'w' write lease, 'r' read lease
-- ARGV[2] token    the lease's own token
-- ARGV[3] lease    new lease length in milliseconds, counted from now
--
-- Returns 1 when extended, 0 when the lease is gone (expired or released): a lost lease is
-- never brought back to life, the holder is told it lost the lock instead.

local lease = tonumber(ARGV[3])
if ARGV[1] == 'w' then
  if redis.call('GET', KEYS[1]) == ARGV[2] then
    redis.call('PEXPIRE', KEYS[1], lease)
    return 1
  end
  return 0
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  redis.call('ZADD', KEYS[2], 'XX', now + lease, ARGV[2])
  if redis.call('PTTL', KEYS[2]) < lease then
    redis.call('PEXPIRE', KEYS[2], lease)
  end
  return 1
end
return 0
