-- write_release.lua: give the write lock back. One round trip, atomic.
--
-- KEYS[1] writer   string  token of the writer holding the lock
-- KEYS[2] rwait    zset    waiting readers -> registration expiry
-- KEYS[3] wwait    zset    waiting writers -> registration expiry
-- KEYS[4] woke     string  the writer most recently woken by name, prefixed 'R' when that wake-up
--                          reserved the lock for it, '-' when not (PX: the wake window)
-- ARGV[1] token    the lease's own token: a different token (another holder, or this holder's
--                  lease after it expired and someone else took the lock) is refused
-- ARGV[2] channel  pub/sub channel that waiters of this lock listen on
-- ARGV[3] mode     'w' writer-preferring, 'r' reader-preferring
-- ARGV[4] window   wake window in milliseconds (see below and write_acquire.lua)
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

-- Nobody waits (the common, uncontended case): no message at all.
if redis.call('EXISTS', KEYS[2], KEYS[3]) == 0 then
  return 1
end

-- Writer-preferring, a writer other than this one was woken within the window, and writers are
-- registered: no wake-up now (the busy, contended case; readers are held back by the intents
-- anyway). Skips the work below on most releases.
local woke = redis.call('GET', KEYS[4])
if ARGV[3] == 'w' and woke and string.sub(woke, 2) ~= ARGV[1] and redis.call('EXISTS', KEYS[3]) == 1 then
  return 1
end

-- Live registrations only (expired ones are pruned where waiters register, off this path).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = '(' .. now

-- Wake the writer that has waited longest since its last attempt, by name:
-- * when no writer was woken within the window, with a reservation: for the window, while it
--   still waits, other writers are refused, so a writer that comes straight back after its
--   release cannot keep the lock from the writers that wait;
-- * when this release comes from the writer woken last (it had its turn: pass the baton), at once
--   but without a reservation, so a chain of waiting writers is served without delay;
-- * otherwise not now: the lock changes hands between clients about once per window (each
--   handoff costs a message and a refused attempt), and in between the current writer may take
--   it again at its full one-client rate. The others still retry on their own backoff.
-- Returns false when no writer waits.
local function wake_writer()
  local head = redis.call('ZRANGEBYSCORE', KEYS[3], live, '+inf', 'LIMIT', 0, 1)
  if #head == 0 then return false end
  if not woke then
    redis.call('SET', KEYS[4], 'R' .. head[1], 'PX', ARGV[4])
  elseif string.sub(woke, 2) == ARGV[1] then
    redis.call('SET', KEYS[4], '-' .. head[1], 'PX', ARGV[4])
  else
    return true
  end
  redis.call('PUBLISH', ARGV[2], head[1])
  return true
end

if ARGV[3] == 'w' then
  -- A waiting writer's intent keeps readers out anyway: wake one writer. With no writer
  -- waiting, wake the readers.
  if not wake_writer() and redis.call('ZCOUNT', KEYS[2], live, '+inf') > 0 then
    redis.call('PUBLISH', ARGV[2], '*')
  end
else
  -- Reader-preferring: waiting readers all enter; a writer is woken when the last reader leaves.
  if redis.call('ZCOUNT', KEYS[2], live, '+inf') > 0 then
    redis.call('PUBLISH', ARGV[2], '*')
  else
    wake_writer()
  end
end
return 1
