-- Release a lock and tell the waiters: one atomic round trip. Also used to force a release
-- (an operator clearing a stuck lock) and to abandon a wait (a waiter that gave up).
-- KEYS[1]  the lock key
-- KEYS[2]  its waiters in arrival order (see acquire-waiting.lua)
-- KEYS[3]  when each waiter's place expires
-- KEYS[4]  the waiter a release woke
-- KEYS[5]  its fencing counter ('handover' only)
-- ARGV[1]  'release' (by the owner), 'force' (whoever holds it), 'abandon' (a waiter leaves)
--          or 'handover' (the owner releases it to a waiter of its own instance)
-- ARGV[2]  the owner token (release, abandon)
-- ARGV[3]  the waiter's place to remove (abandon), or ''
-- ARGV[4]  fair locks: how long the next waiter has to claim a handed-over lock, in ms
-- ARGV[5]  unfair locks: how long the woken instance gets the lock before others, in ms
-- ARGV[6]  the prefix of the plain channels that wake an instance, such as 'lock:wake:'
-- ARGV[7]  '1' on a Redis Cluster whose clients use sharded pub/sub: from Redis 7 on, wake-ups
--          then go to sharded per-key channels '<lock key>:wake:<store id>' (SPUBLISH), which
--          stay on the key's own shard
-- ARGV[8]  'handover': the next holder's owner token
-- ARGV[9]  'handover': the next holder's place in the queue (see acquire-waiting.lua)
-- ARGV[10] 'handover': the next holder's lease time in milliseconds
-- ARGV[11] 'handover': how long the fencing counter outlives this acquire, in milliseconds
-- ARGV[12] 'handover': '1' if the lock should go to waiters of other instances first (the
--          instance has kept it through several hand-overs in a row)
-- ARGV[13] 'handover': how long the next holder still waits, in milliseconds (unfair locks
--          keep the instance's place that long: it still has a waiter)
-- Returns 1 if the lock was held by the owner (or by anyone, for 'force') and is now free or
-- handed to the next waiter, else 0. Sends no message when nobody waits.
-- 'handover' returns the next holder's fencing token when it has the lock (always more than 1:
-- tokens are at least the server's clock in microseconds), 0 when the owner did not hold it
-- (nothing changed), and 1 when it released the lock to the waiters of other instances
-- instead, as 'release' does.

-- TIME is non-deterministic: Redis < 5 must replicate this script's effects, not the script.
if redis.replicate_commands then
	redis.replicate_commands()
end

local mode = ARGV[1]
local holder = redis.call('GET', KEYS[1])

if ARGV[3] ~= '' then
	redis.call('ZREM', KEYS[2], ARGV[3])
	redis.call('ZREM', KEYS[3], ARGV[3])
end

-- The server's clock, read only where needed: a plain release with nobody waiting does not.
local time, nowMs
local function readClock()
	time = redis.call('TIME')
	nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function dropExpiredPlaces()
	local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', nowMs, 'LIMIT', 0, 100)
	for _, gone in ipairs(expired) do
		redis.call('ZREM', KEYS[2], gone)
		redis.call('ZREM', KEYS[3], gone)
	end
end

local handover = mode == 'handover'
local place = ARGV[9]
if handover then
	if holder ~= ARGV[2] then
		return 0
	end
	readClock()
	dropExpiredPlaces()
	local fair = string.find(place, '|', 1, true) ~= nil
	local mayHand
	if not fair then
		-- The instance has a waiter (the next holder), so it keeps its place, even if its
		-- last subscribed waiter left a moment ago and dropped it: otherwise the other
		-- instances would stop yielding the lock to it.
		redis.call('ZADD', KEYS[2], 'NX', tonumber(time[1]) * 1000000 + tonumber(time[2]), place)
		local until_ = nowMs + tonumber(ARGV[13])
		if until_ > tonumber(redis.call('ZSCORE', KEYS[3], place) or '0') then
			redis.call('ZADD', KEYS[3], until_, place)
		end
		local ttl = tonumber(ARGV[13]) + 60000
		redis.call('PEXPIRE', KEYS[2], ttl)
		redis.call('PEXPIRE', KEYS[3], ttl)
	end
	if fair then
		-- Only to the first waiter in the queue: nobody is overtaken.
		local first = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
		mayHand = first == nil or first == place
	else
		-- Unless the instance's turn is over and other instances wait.
		local others = redis.call('ZCARD', KEYS[2])
		if redis.call('ZSCORE', KEYS[2], place) then
			others = others - 1
		end
		mayHand = ARGV[12] ~= '1' or others == 0
	end
	if mayHand then
		redis.call('SET', KEYS[1], ARGV[8], 'PX', ARGV[10])
		local last = tonumber(redis.call('GET', KEYS[5]) or '0')
		local token = math.max(last + 1, tonumber(time[1]) * 1000000 + tonumber(time[2]))
		redis.call('SET', KEYS[5], string.format('%.0f', token), 'PX', ARGV[11])
		if fair then
			redis.call('ZREM', KEYS[2], place)
			redis.call('ZREM', KEYS[3], place)
		end
		if redis.call('ZCARD', KEYS[2]) == 0 then
			redis.call('DEL', KEYS[2], KEYS[3])
		end
		return token
	end
end

local released
if mode == 'force' then
	released = holder ~= false
else
	released = holder == ARGV[2]
end

if not released then
	-- An instance that leaves after a release woke it passes its turn to the next
	-- instance (below), which need not wait for the turn to run out.
	if mode ~= 'abandon' or ARGV[3] == '' or holder or redis.call('GET', KEYS[4]) ~= ARGV[3] then
		return 0
	end
	redis.call('DEL', KEYS[4])
elseif redis.call('EXISTS', KEYS[2]) == 0 then
	-- Nobody waits: free the lock, send nothing.
	redis.call('DEL', KEYS[1])
	return 1
end

local function wake(target, owner, delay)
	local store = string.match(target, '^([^|]*)')
	local message = owner .. ' ' .. delay .. ' ' .. KEYS[1]
	-- pcall: a server that refuses pub/sub (an ACL) must not stop the release; waiters then
	-- retry on their own.
	if ARGV[7] == '1' and redis.REDIS_VERSION_NUM and redis.REDIS_VERSION_NUM >= 0x070000 then
		redis.pcall('SPUBLISH', KEYS[1] .. ':wake:' .. store, message)
	else
		redis.pcall('PUBLISH', ARGV[6] .. store, message)
	end
end

if not time then
	readClock()
	dropExpiredPlaces()
end

local waiters = redis.call('ZRANGE', KEYS[2], 0, 1)
if #waiters == 0 then
	redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
	return released and 1 or 0
end

if string.find(waiters[1], '|', 1, true) then
	-- Fair (its waiters queue one by one, as '<store id>|<owner>'): hand the lock to the first
	-- waiter, who claims it within the claim period; the second retries when that period ends,
	-- in case the first vanished.
	local first = waiters[1]
	local owner = string.match(first, '|(.*)$')
	redis.call('ZREM', KEYS[2], first)
	redis.call('ZREM', KEYS[3], first)
	redis.call('SET', KEYS[1], owner, 'PX', ARGV[4])
	wake(first, owner, 0)
	local second = waiters[2] and string.match(waiters[2], '|(.*)$')
	if second then
		wake(waiters[2], second, ARGV[4])
	end
	return released and 1 or 0
end

-- Unfair (its waiters queue one place per instance): free the lock and wake one waiting
-- instance, which gets it first for a short while; that instance moves to the end of the queue,
-- so instances take turns.
redis.call('DEL', KEYS[1])
local first = waiters[1]
if handover and first == place and waiters[2] then
	-- The releasing instance's turn is over: wake the next instance, not itself.
	first = waiters[2]
end
redis.call('SET', KEYS[4], first, 'PX', ARGV[5])
redis.call('ZADD', KEYS[2], 'XX', tonumber(time[1]) * 1000000 + tonumber(time[2]), first)
wake(first, '*', 0)
return released and 1 or 0
