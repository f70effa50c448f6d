-- write_release.lua: give the write lock back. One round trip, atomic.
--
-- KEYS[1] writer   string  token of the writer holding the lock
-- ARGV[1] token    the lease's own token: a different token (another holder, or this holder's
--                  lease after it expired and someone else took the lock) is refused
-- ARGV[2] channel  pub/sub channel that waiters of this lock listen on
--
-- Returns 1 when released, 0 when this token did not hold the lock.

if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  -- Wake waiting readers and writers.
  redis.call('PUBLISH', ARGV[2], 'w')
  return 1
end
return 0
