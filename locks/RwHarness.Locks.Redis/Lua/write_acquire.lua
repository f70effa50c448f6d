-- write_acquire.lua: one attempt to take the write lock. One round trip, atomic.
--
-- KEYS[1] writer   string  token of the writer holding the lock; always set with PX (its lease)
-- KEYS[2] readers  zset    reader token -> lease expiry in server milliseconds
-- KEYS[3] intents  zset    token of a waiting writer -> intent expiry in server milliseconds
-- KEYS[4] fence    string  the fencing counter
-- KEYS[5] wwait    zset    token of a waiting writer -> registration expiry (who a release wakes)
-- KEYS[6] woke     string  the writer a release woke by name; prefix 'R' when it holds a short
--                          reservation (PX: the wake window), '-' when not
-- ARGV[1] token    this acquisition's own random token
-- ARGV[2] lease    write lease in milliseconds
-- ARGV[3] intent   how long this writer's intent lives unless the next attempt refreshes it;
--                  0 for a single try (TryEnterWrite), which must not leave an intent behind
-- ARGV[4] mode     'w' writer-preferring (record an intent while blocked), 'r' reader-preferring
-- ARGV[5] wait     how long this writer's wait registration lives unless its next attempt
--                  refreshes it; 0 for a single try, which registers nothing
-- ARGV[6] waited   '1' when an earlier attempt of this acquisition registered it, else '0'
--
-- Returns {1, fence} when granted, where fence is strictly greater than every fence this
-- lock handed out before; {0, hint} when blocked (hint: milliseconds until the blocker's
-- lease runs out at the latest).

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)

-- Blocked by a writer (its remaining lease) or by live readers (the longest reader lease).
local hint = nil
local wttl = redis.call('PTTL', KEYS[1])
if wttl ~= -2 then
  hint = math.max(1, wttl)
else
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  if #last > 0 then hint = math.max(1, tonumber(last[2]) - now) end
end

-- Reserved: a release just woke another waiting writer by name. For that short window (and
-- only while it still waits) other writers are refused, so a writer that comes straight back
-- after its release cannot take the lock again and again ahead of the writers that wait. A
-- woken writer that died or stalls holds the lock back for at most the window.
if not hint then
  local woke = redis.call('GET', KEYS[6])
  if woke and string.sub(woke, 1, 1) == 'R' then
    local who = string.sub(woke, 2)
    if who ~= ARGV[1] and redis.call('ZSCORE', KEYS[5], who) then
      hint = math.max(1, redis.call('PTTL', KEYS[6]))
    end
  end
end

if hint then
  -- Writer-preferring: announce this writer. The intent is per writer and expires on its own,
  -- so a writer that crashes or gives up while waiting cannot block readers forever.
  local intent = tonumber(ARGV[3])
  if ARGV[4] == 'w' and intent > 0 then
    redis.call('ZADD', KEYS[3], now + intent, ARGV[1])
    if redis.call('PTTL', KEYS[3]) < intent then
      redis.call('PEXPIRE', KEYS[3], intent)
    end
  end
  -- Register as a waiter (both modes): releases publish only when somebody waits, and wake
  -- one writer by name rather than every waiter.
  local wait = tonumber(ARGV[5])
  if wait > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
    redis.call('ZADD', KEYS[5], now + wait, ARGV[1])
    if redis.call('PTTL', KEYS[5]) < wait then
      redis.call('PEXPIRE', KEYS[5], wait)
    end
  end
  return {0, hint}
end

-- Granted: the lock key carries the lease, the intent is no longer needed.
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
if ARGV[6] == '1' then
  redis.call('ZREM', KEYS[5], ARGV[1])
end

-- Fencing token. INCR is strictly increasing while the counter survives. If the counter is
-- missing (first use, or a server that lost its data), seed it with the server time in
-- microseconds first, so tokens keep increasing across a data loss as long as the server
-- clock does not go backwards and fewer than a million writes per second were granted.
if redis.call('EXISTS', KEYS[4]) == 0 then
  redis.call('SET', KEYS[4], string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])))
end
return {1, redis.call('INCR', KEYS[4])}
