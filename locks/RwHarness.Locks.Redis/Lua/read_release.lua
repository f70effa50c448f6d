-- read_release.lua: give a read lease back. One round trip, atomic.
--
-- KEYS[1] readers  zset    reader token -> lease expiry in server milliseconds
-- KEYS[2] wwait    zset    waiting writers -> registration expiry
-- KEYS[3] woke     string  the writer most recently woken by name ('R'/'-' prefix; PX: the wake window)
-- ARGV[1] token    the lease's own token: only the holder of a lease knows it, so nobody
--                  can release somebody else's read lease
-- ARGV[2] channel  pub/sub channel that waiters of this lock listen on
-- ARGV[3] window   see write_release.lua
--
-- Returns 1 when this token held a live read lease (now released), 0 when it did not
-- (never acquired, already released, or expired: the caller learns its lease was lost).

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Prune first: an expired lease is lost, not released, and must report 0.
local pruned = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local removed = redis.call('ZREM', KEYS[1], ARGV[1])

-- The last reader is gone: wake the waiting writer that has waited longest since its last
-- attempt, by name (readers never wait for readers, so nobody else needs waking), under the
-- same window rule as write_release.lua. Nothing is published when no writer waits. Waiters
-- also back off with jitter, so a lost message only delays them, it never blocks them.
if (removed + pruned) > 0 and redis.call('EXISTS', KEYS[2]) == 1 and redis.call('ZCARD', KEYS[1]) == 0 then
  local head = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf', 'LIMIT', 0, 1)
  if #head > 0 then
    if redis.call('EXISTS', KEYS[3]) == 0 then
      redis.call('SET', KEYS[3], 'R' .. head[1], 'PX', ARGV[3])
      redis.call('PUBLISH', ARGV[2], head[1])
    end
  end
end
return removed
