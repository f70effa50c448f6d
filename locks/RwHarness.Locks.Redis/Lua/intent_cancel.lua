-- intent_cancel.lua: a waiter that gives up (timeout, cancellation, error) withdraws its writer
-- intent and its wait registration at once instead of letting them age out, and wakes the
-- remaining waiters (readers its intent was holding back, or a writer it may have been woken
-- in place of).
--
-- KEYS[1] intents  zset  token of a waiting writer -> intent expiry
-- KEYS[2] rwait    zset  waiting readers -> registration expiry
-- KEYS[3] wwait    zset  waiting writers -> registration expiry
-- ARGV[1] token    the giving-up waiter's token
-- ARGV[2] channel  pub/sub channel of this lock
--
-- Returns 1 when an intent was removed, else 0.

local removed = redis.call('ZREM', KEYS[1], ARGV[1])
local withdrawn = redis.call('ZREM', KEYS[2], ARGV[1]) + redis.call('ZREM', KEYS[3], ARGV[1])
if removed + withdrawn > 0 and redis.call('EXISTS', KEYS[2], KEYS[3]) > 0 then
  redis.call('PUBLISH', ARGV[2], '*')
end
return removed
