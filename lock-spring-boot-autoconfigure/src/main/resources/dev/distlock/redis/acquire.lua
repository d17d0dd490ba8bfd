-- Acquire a lock if it is free, for a caller that does not wait: one atomic round trip.
-- KEYS[1]  the lock key, such as lock:{token_refresh:42}
-- KEYS[2]  its fencing counter, lock:{token_refresh:42}:fence (same hash tag, same Cluster slot)
-- ARGV[1]  the new holder's owner token
-- ARGV[2]  the lease time in milliseconds
-- ARGV[3]  how long the fencing counter outlives this acquire, in milliseconds
-- Returns the fencing token (> 0) when acquired. When the lock is held, returns 0 if it has no
-- expiry, else -(remaining lease in ms + 1), so a waiter knows when a vanished holder frees it.

-- TIME is non-deterministic: Redis < 5 must replicate this script's effects, not the script.
-- From Redis 5 on that is the default, and from 7.0 on this call does nothing.
if redis.replicate_commands then
	redis.replicate_commands()
end

if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
	local ttl = redis.call('PTTL', KEYS[1])
	if ttl < 0 then
		return 0
	end
	return -(ttl + 1)
end

-- The token is greater than the last one handed out for this key and never less than the
-- server's clock in microseconds, so it keeps increasing after the counter was lost
-- (a restart without persistence, eviction, or the counter's own expiry).
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local time = redis.call('TIME')
local token = math.max(last + 1, tonumber(time[1]) * 1000000 + tonumber(time[2]))
-- Lua numbers are doubles: exact up to 2^53, about 285 years of microseconds since 1970.
-- '%.0f' keeps every digit where tostring() would switch to an exponent.
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
return token
