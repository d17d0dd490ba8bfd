-- Set the lease of a lock held by the given owner to end the given time from now.
-- KEYS[1]  the lock key
-- ARGV[1]  the holder's owner token
-- ARGV[2]  the new lease time in milliseconds
-- Returns 1 if the owner still held the lock, else 0 (expired, or another owner's).
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
