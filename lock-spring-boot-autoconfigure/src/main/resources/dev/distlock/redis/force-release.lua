-- Release a lock whoever holds it (an operator clearing a stuck lock) and wake its waiters.
-- KEYS[1]  the lock key
-- ARGV[1]  the channel that announces releases
-- ARGV[2]  the message: the lock's readable key
-- Returns 1 if a lock was held and is now free, else 0.
if redis.call('DEL', KEYS[1]) == 1 then
	redis.call('PUBLISH', ARGV[1], ARGV[2])
	return 1
end
return 0
