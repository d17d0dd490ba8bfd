-- Extend the leases of locks held by the given owners, in one round trip: the renewals due at
-- the same moment. All keys share one Redis Cluster slot (the caller groups them by slot).
-- KEYS[i]    the lock keys
-- ARGV[1]    the new lease time in milliseconds
-- ARGV[i+1]  the owner token of KEYS[i]
-- Returns one number per key: 1 if its owner still held it and the lease was extended, else 0.
local results = {}
for i, key in ipairs(KEYS) do
	if redis.call('GET', key) == ARGV[i + 1] then
		results[i] = redis.call('PEXPIRE', key, ARGV[1])
	else
		results[i] = 0
	end
end
return results
