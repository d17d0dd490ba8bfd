-- Release a lock held by the given owner and wake its waiters: one atomic round trip.
-- KEYS[1]  the lock key
-- ARGV[1]  the holder's owner token
-- ARGV[2]  the channel that announces releases
-- ARGV[3]  the message: the lock's readable key, such as token_refresh:42
-- Returns 1 if the owner held the lock and it is now free, else 0 (expired, or another owner's).
if redis.call('GET', KEYS[1]) == ARGV[1] then
	redis.call('DEL', KEYS[1])
	redis.call('PUBLISH', ARGV[2], ARGV[3])
	return 1
end
return 0
