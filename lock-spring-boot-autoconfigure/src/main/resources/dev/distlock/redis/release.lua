-- Release a lock and tell the waiters: one atomic round trip. Also used to force a release
-- (an operator clearing a stuck lock), to abandon a wait (a waiter that gave up), to pass on a
-- lock handed to a waiter that has gone, and to hand the lock to a waiter of the same instance.
-- KEYS[1]  the lock key
-- KEYS[2]  its waiters in arrival order (see acquire-waiting.lua)
-- KEYS[3]  when each waiter's place expires
-- KEYS[4]  the waiter a release woke
-- KEYS[5]  its fencing counter
-- KEYS[6]  unfair locks: each waiting instance's candidate (see acquire-waiting.lua)
-- KEYS[7]  the owner a release handed the lock to, until that owner claims it
-- ARGV[1]  'release' (by the owner), 'force' (whoever holds it), 'abandon' (a waiter leaves),
--          'pass' (a waiter the lock was handed to has gone: release it only if it is still
--          handed to that owner and not claimed) or 'handover' (the owner releases it to a
--          waiter of its own instance)
-- ARGV[2]  the owner token (release, abandon, pass)
-- ARGV[3]  the waiter's place to remove (abandon, pass), or ''
-- ARGV[4]  how long a waiter that was handed the lock has to claim it, in ms
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
-- ARGV[14] 'handover': the next holder's stamp (see acquire-waiting.lua)
-- ARGV[15] 'abandon': the caller's instance (its place in an unfair queue), whose candidate is
--          forgotten if it is the abandoning owner; else ''
-- Returns 1 if the lock was held by the owner (or by anyone, for 'force') and is now free or
-- handed to the next waiter, else 0. Sends no message when nobody waits.
-- 'handover' returns the next holder's fencing token when it has the lock (always more than 1:
-- tokens are at least the server's clock in microseconds), 0 when the owner did not hold it
-- (nothing changed), and 1 when it released the lock to the waiters of other instances
-- instead, as 'release' does.
-- A waiter woken by a release either gets the lock first for a short while and takes it with an
-- attempt of its own, or, where the release knows it (fair locks: the first waiter; unfair
-- locks: the woken instance's candidate), is handed the lock for the claim period. The message
-- to an unfair candidate carries the fencing token and the candidate's stamp, so the waiter holds
-- the lock without another round trip; a fair waiter claims it with an attempt.

-- TIME is non-deterministic: Redis < 5 must replicate this script's effects, not the script.
if redis.replicate_commands then
	redis.replicate_commands()
end

local mode = ARGV[1]
local holder = redis.call('GET', KEYS[1])

if ARGV[3] ~= '' then
	redis.call('ZREM', KEYS[2], ARGV[3])
	redis.call('ZREM', KEYS[3], ARGV[3])
	redis.call('HDEL', KEYS[6], ARGV[3])
end
if ARGV[15] ~= '' then
	local candidate = redis.call('HGET', KEYS[6], ARGV[15])
	if candidate and string.sub(candidate, 1, #ARGV[2] + 1) == ARGV[2] .. ' ' then
		redis.call('HDEL', KEYS[6], ARGV[15])
	end
end

-- The server's clock, read only where needed: a plain release with nobody waiting does not.
local time, nowMs, nowMicros
local function readClock()
	time = redis.call('TIME')
	nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
	nowMicros = tonumber(time[1]) * 1000000 + tonumber(time[2])
end

local function dropExpiredPlaces()
	local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', nowMs, 'LIMIT', 0, 100)
	for _, gone in ipairs(expired) do
		redis.call('ZREM', KEYS[2], gone)
		redis.call('ZREM', KEYS[3], gone)
		redis.call('HDEL', KEYS[6], gone)
	end
end

-- The next fencing token: see acquire.lua.
local function fence(retention)
	local last = tonumber(redis.call('GET', KEYS[5]) or '0')
	local token = math.max(last + 1, nowMicros)
	redis.call('SET', KEYS[5], string.format('%.0f', token), 'PX', retention)
	return token
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
		redis.call('ZADD', KEYS[2], 'NX', nowMicros, place)
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
		local token = fence(ARGV[11])
		if fair then
			redis.call('ZREM', KEYS[2], place)
			redis.call('ZREM', KEYS[3], place)
		else
			local candidate = redis.call('HGET', KEYS[6], place)
			if candidate and string.sub(candidate, 1, #ARGV[8] + 1) == ARGV[8] .. ' ' then
				redis.call('HDEL', KEYS[6], place)
			end
		end
		if redis.call('ZCARD', KEYS[2]) == 0 then
			redis.call('DEL', KEYS[2], KEYS[3], KEYS[6])
		end
		return token
	end
	if not fair then
		-- The next holder waits for the instance's next turn: a release by another
		-- instance may hand the lock to it.
		redis.call('HSET', KEYS[6], place, ARGV[8] .. ' ' .. ARGV[14] .. ' ' .. ARGV[11])
		redis.call('PEXPIRE', KEYS[6], tonumber(ARGV[13]) + 60000)
	end
end

local released
if mode == 'force' then
	released = holder ~= false
elseif mode == 'pass' then
	released = holder == ARGV[2] and redis.call('GET', KEYS[7]) == ARGV[2]
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

local function wake(target, owner, what)
	local store = string.match(target, '^([^|]*)')
	local message = owner .. ' ' .. what .. ' ' .. KEYS[1]
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
	redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[6])
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
	redis.call('SET', KEYS[7], owner, 'PX', ARGV[4])
	wake(first, owner, 0)
	local second = waiters[2] and string.match(waiters[2], '|(.*)$')
	if second then
		wake(waiters[2], second, ARGV[4])
	end
	return released and 1 or 0
end

-- Unfair (its waiters queue one place per instance): the next instance in the queue takes its
-- turn and moves to the end of the queue, so instances take turns.
local first = waiters[1]
if handover and first == place and waiters[2] then
	-- The releasing instance's turn is over: the next instance's, not its own.
	first = waiters[2]
end
redis.call('ZADD', KEYS[2], 'XX', nowMicros, first)
local candidate = redis.call('HGET', KEYS[6], first)
local owner, stamp, retention
if candidate then
	owner, stamp, retention = string.match(candidate, '^(%S+) (%S+) (%S+)$')
end
if owner then
	-- Hand the lock to the instance's candidate for the claim period (its first renewal
	-- extends it), and tell it the fencing token, so that it holds the lock at once.
	redis.call('HDEL', KEYS[6], first)
	redis.call('DEL', KEYS[4])
	redis.call('SET', KEYS[1], owner, 'PX', ARGV[4])
	redis.call('SET', KEYS[7], owner, 'PX', ARGV[4])
	local token = fence(retention)
	wake(first, owner, 'G' .. string.format('%.0f', token) .. ':' .. stamp .. ':' .. ARGV[4])
	return released and 1 or 0
end
-- No candidate known: free the lock, and the woken instance gets it first for a short while.
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[4], first, 'PX', ARGV[5])
wake(first, '*', 0)
return released and 1 or 0
