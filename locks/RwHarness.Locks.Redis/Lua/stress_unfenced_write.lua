-- stress_unfenced_write.lua: the stress's write when fencing is switched off (--unfenced):
-- the same effect as an accepted fenced_store.lua write, with no token check. Used to show
-- that without fencing a writer paused past its lease loses an update.
--
-- KEYS[1] value, KEYS[3] writes (same layout as fenced_store.lua; KEYS[2] unused)
-- ARGV[1] value
redis.call('SET', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[3])
return 1
