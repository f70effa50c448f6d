-- inspect.lua: read-only snapshot of the lock for diagnostics and tests (leak checks).
--
-- KEYS[1] writer, KEYS[2] readers, KEYS[3] intents, KEYS[4] fence, KEYS[5] rwait, KEYS[6] wwait
--
-- Returns {writer held 0/1, writer lease ms left (or -2), live readers, live intents,
--          last fence (0 if none), live waiting readers, live waiting writers}.
-- Expired members are counted out, not removed.

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wttl = redis.call('PTTL', KEYS[1])
local held = 0
if wttl ~= -2 then held = 1 end
local readers = redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
local intents = redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf')
local fence = redis.call('GET', KEYS[4]) or '0'
local rwait = redis.call('ZCOUNT', KEYS[5], '(' .. now, '+inf')
local wwait = redis.call('ZCOUNT', KEYS[6], '(' .. now, '+inf')
return {held, wttl, readers, intents, fence, rwait, wwait}
