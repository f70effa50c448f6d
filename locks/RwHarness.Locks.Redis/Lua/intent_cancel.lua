-- intent_cancel.lua: a writer that gives up waiting (timeout or cancellation) withdraws its
-- intent at once instead of letting it age out, and wakes the readers it was holding back.
--
-- KEYS[1] intents  zset  token of a waiting writer -> intent expiry
-- ARGV[1] token    the giving-up writer's token
-- ARGV[2] channel  pub/sub channel of this lock
--
-- Returns 1 when an intent was removed, else 0.

local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 then
  redis.call('PUBLISH', ARGV[2], 'i')
end
return removed
