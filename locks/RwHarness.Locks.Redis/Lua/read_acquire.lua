-- read_acquire.lua: one attempt to take a read lease. One round trip, atomic.
--
-- KEYS[1] writer   string  token of the writer holding the lock; always set with PX (its lease)
-- KEYS[2] readers  zset    reader token -> lease expiry in server milliseconds
-- KEYS[3] intents  zset    token of a waiting writer -> intent expiry in server milliseconds
-- KEYS[4] rwait    zset    token of a waiting reader -> registration expiry (who a release wakes)
-- ARGV[1] token    this acquisition's own random token (a lease, not a per-client id)
-- ARGV[2] lease    lease length in milliseconds
-- ARGV[3] mode     'w' writer-preferring: a live writer intent blocks new readers
--                  'r' reader-preferring: only a writer that holds the lock blocks readers
--                  (a string compared with a string: the original compared a string with a
--                  number, so its reader-preferring mode never engaged)
-- ARGV[4] wait     how long this reader's wait registration lives unless its next attempt
--                  refreshes it; 0 for a single try (TryEnterRead), which registers nothing
-- ARGV[5] waited   '1' when an earlier attempt of this acquisition registered it (so a grant
--                  removes the registration), else '0'
--
-- Returns {1, 0} when the read lease was granted, {0, hint} when blocked, where hint is the
-- number of milliseconds until the blocker's lease or intent runs out at the latest (a waiter
-- sleeps at most that long; pub/sub usually wakes it sooner).

-- Server time: every expiry in this lock is in the server's clock, so client clocks never
-- decide who holds the lock.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Prune on every script: a crashed reader's lease simply ages out of the set, so a reader
-- that dies can never leak a "reader count" (the original kept a bare counter with no TTL).
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)

-- A waiting reader registers itself, so that releases publish only when somebody waits (and
-- a release with nobody waiting costs no pub/sub message).
local function blocked(hint)
  local wait = tonumber(ARGV[4])
  if wait > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
    redis.call('ZADD', KEYS[4], now + wait, ARGV[1])
    if redis.call('PTTL', KEYS[4]) < wait then
      redis.call('PEXPIRE', KEYS[4], wait)
    end
  end
  return {0, hint}
end

-- A writer holds the lock: wait at most until its lease runs out.
local wttl = redis.call('PTTL', KEYS[1])
if wttl ~= -2 then
  if wttl < 1 then wttl = 1 end
  return blocked(wttl)
end

-- Writer-preferring: a waiting writer's live intent keeps new readers out, so a stream of
-- readers cannot starve writers. The hint is the soonest intent expiry.
if ARGV[3] == 'w' then
  local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  if #first > 0 then
    return blocked(math.max(1, tonumber(first[2]) - now))
  end
end

-- Granted: this reader is one member with its own expiry. The set itself expires no earlier
-- than its longest lease, so an abandoned lock leaves no keys behind.
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], now + lease, ARGV[1])
if redis.call('PTTL', KEYS[2]) < lease then
  redis.call('PEXPIRE', KEYS[2], lease)
end
if ARGV[5] == '1' then
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return {1, 0}
