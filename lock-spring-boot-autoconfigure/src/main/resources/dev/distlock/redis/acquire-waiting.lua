-- Acquire a lock for a caller that waits if it is held, and keep its place among the waiters.
-- KEYS[1]  the lock key, such as lock:{token_refresh:42}
-- KEYS[2]  its fencing counter, lock:{token_refresh:42}:fence
-- KEYS[3]  its waiters in arrival order, lock:{token_refresh:42}:queue (sorted set, score = arrival)
-- KEYS[4]  when each waiter's place expires, lock:{token_refresh:42}:expiry (sorted set, ms)
-- KEYS[5]  the waiter a release just woke, lock:{token_refresh:42}:woken (string, short expiry)
-- KEYS[6]  unfair locks: the waiter each waiting instance would take a released lock for,
--          lock:{token_refresh:42}:next (hash: place -> '<owner> <stamp> <fence retention ms>')
-- KEYS[7]  the owner a release handed the lock to, until that owner claims it,
--          lock:{token_refresh:42}:handed (string, expires with the claim period)
-- ARGV[1]  the new holder's owner token
-- ARGV[2]  the lease time in milliseconds
-- ARGV[3]  how long the fencing counter outlives this acquire, in milliseconds
-- ARGV[4]  the waiter's place in the queue: '<store id>' (unfair: one place per instance) or
--          '<store id>|<owner>' (fair: one place per waiter)
-- ARGV[5]  how long the waiter still waits, in milliseconds: its place expires then
-- ARGV[6]  '1' for a fair lock, '0' otherwise
-- ARGV[7]  fair locks: how long a waiter that was handed the lock has to claim it, in ms
-- ARGV[8]  the prefix of the plain channels that wake an instance, such as 'lock:wake:'
-- ARGV[9]  '1' on a Redis Cluster whose clients use sharded pub/sub (see release.lua)
-- ARGV[10] the caller's stamp: its clock when it sent this attempt, which a release that hands
--          the lock to this waiter sends back (see release.lua)
-- Returns the fencing token (> 0) when acquired; else 0 or -(ms until the holder's lease or the
-- woken waiter's turn ends + 1).
-- Unfair locks: a free lock goes to whoever asks, except that the instance a release woke gets it
-- first for a short while (bounded barging); the waiter of an instance that asked last is that
-- instance's candidate, to whom a release may hand the lock directly. Fair locks: a release hands
-- the lock to the first waiter (release.lua), which claims it here; nobody else takes a free lock
-- while waiters queue.

if redis.replicate_commands then
	redis.replicate_commands()
end

local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local nowMicros = tonumber(time[1]) * 1000000 + tonumber(time[2])
local member = ARGV[4]
local fair = ARGV[6] == '1'

-- Places of waiters that gave up without saying so (a crashed instance) expire: never a leak.
local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', nowMs, 'LIMIT', 0, 100)
for _, gone in ipairs(expired) do
	redis.call('ZREM', KEYS[3], gone)
	redis.call('ZREM', KEYS[4], gone)
	redis.call('HDEL', KEYS[6], gone)
end

local function fence()
	local last = tonumber(redis.call('GET', KEYS[2]) or '0')
	local token = math.max(last + 1, nowMicros)
	redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
	return token
end

local function wake(target, owner, delay)
	local store = string.match(target, '^([^|]*)')
	local message = owner .. ' ' .. delay .. ' ' .. KEYS[1]
	if ARGV[9] == '1' and redis.REDIS_VERSION_NUM and redis.REDIS_VERSION_NUM >= 0x070000 then
		redis.pcall('SPUBLISH', KEYS[1] .. ':wake:' .. store, message)
	else
		redis.pcall('PUBLISH', ARGV[8] .. store, message)
	end
end

local function leaveQueue()
	if fair then
		redis.call('ZREM', KEYS[3], member)
		redis.call('ZREM', KEYS[4], member)
	else
		-- This waiter stops being its instance's candidate.
		local candidate = redis.call('HGET', KEYS[6], member)
		if candidate and string.sub(candidate, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then
			redis.call('HDEL', KEYS[6], member)
		end
	end
	if redis.call('ZCARD', KEYS[3]) == 0 then
		redis.call('DEL', KEYS[3], KEYS[4], KEYS[6])
	end
end

local function keepPlace()
	redis.call('ZADD', KEYS[3], 'NX', nowMicros, member)
	local until_ = nowMs + tonumber(ARGV[5])
	local current = tonumber(redis.call('ZSCORE', KEYS[4], member) or '0')
	if until_ > current then
		redis.call('ZADD', KEYS[4], until_, member)
	end
	local ttl = tonumber(ARGV[5]) + 60000
	redis.call('PEXPIRE', KEYS[3], ttl)
	redis.call('PEXPIRE', KEYS[4], ttl)
	if not fair then
		redis.call('HSET', KEYS[6], member, ARGV[1] .. ' ' .. ARGV[10] .. ' ' .. ARGV[3])
		redis.call('PEXPIRE', KEYS[6], ttl)
	end
end

local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
	-- A release handed the lock to this waiter: claim it for the whole lease.
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	if redis.call('GET', KEYS[7]) == ARGV[1] then
		redis.call('DEL', KEYS[7])
	end
	leaveQueue()
	return fence()
end

if not holder then
	local mayTake = true
	if fair then
		local first = redis.call('ZRANGE', KEYS[3], 0, 0)[1]
		if first and first ~= member then
			-- Not this waiter's turn: hand the free lock to the first waiter, who claims it.
			local owner = string.match(first, '|(.*)$')
			redis.call('ZREM', KEYS[3], first)
			redis.call('ZREM', KEYS[4], first)
			redis.call('SET', KEYS[1], owner, 'PX', ARGV[7])
			redis.call('SET', KEYS[7], owner, 'PX', ARGV[7])
			wake(first, owner, 0)
			keepPlace()
			return -(tonumber(ARGV[7]) + 1)
		end
	else
		local woken = redis.call('GET', KEYS[5])
		if woken and woken ~= member then
			mayTake = false
		end
	end
	if mayTake then
		redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
		if not fair and redis.call('GET', KEYS[5]) == member then
			redis.call('DEL', KEYS[5])
		end
		leaveQueue()
		return fence()
	end
	keepPlace()
	local turn = redis.call('PTTL', KEYS[5])
	return -(math.max(turn, 1) + 1)
end

keepPlace()
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
	return 0
end
return -(ttl + 1)
