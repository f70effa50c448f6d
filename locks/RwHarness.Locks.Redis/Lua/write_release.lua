-- write_release.lua: give the write lock back. One round trip, atomic.
--
-- KEYS[1] writer   string  token of the writer holding the lock
-- KEYS[2] rwait    zset    waiting readers -> registration expiry
-- KEYS[3] wwait    zset    waiting writers -> registration expiry
-- ARGV[1] token    the lease's own token: a different token (another holder, or this holder's
--                  lease after it expired and someone else took the lock) is refused
-- ARGV[2] channel  pub/sub channel that waiters of this lock listen on
-- ARGV[3] mode     'w' writer-preferring, 'r' reader-preferring
--
-- Returns 1 when released, 0 when this token did not hold the lock.
--
-- Wake-ups are targeted: nothing is published when nobody waits; a message naming one writer's
-- token wakes that writer only; '*' wakes every waiter. Waiters also back off with jitter, so
-- a lost or misdirected message (a waiter that died while registered) only delays them.

if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local head = redis.call('ZRANGE', KEYS[3], 0, 0)
local readers = redis.call('ZCARD', KEYS[2])

if ARGV[3] == 'w' then
  -- A waiting writer's intent keeps readers out anyway: wake the writer that has waited
  -- longest since its last attempt, and only it. With no writer waiting, wake the readers.
  if #head > 0 then
    redis.call('PUBLISH', ARGV[2], head[1])
  elseif readers > 0 then
    redis.call('PUBLISH', ARGV[2], '*')
  end
else
  -- Reader-preferring: waiting readers all enter; a writer is woken when the last reader leaves.
  if readers > 0 then
    redis.call('PUBLISH', ARGV[2], '*')
  elseif #head > 0 then
    redis.call('PUBLISH', ARGV[2], head[1])
  end
end
return 1
