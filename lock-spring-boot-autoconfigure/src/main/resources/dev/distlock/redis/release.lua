-- Release a lock and tell the waiters: one atomic round trip. Also used to force a release
-- (an operator clearing a stuck lock) and to abandon a wait (a waiter that gave up).
-- KEYS[1]  the lock key
-- KEYS[2]  its waiters in arrival order (see acquire-waiting.lua)
-- KEYS[3]  when each waiter's place expires
-- KEYS[4]  the waiter a release woke
-- ARGV[1]  'release' (by the owner), 'force' (whoever holds it) or 'abandon' (a waiter leaves)
-- ARGV[2]  the owner token (release, abandon)
-- ARGV[3]  the waiter's place to remove (abandon), or ''
-- ARGV[4]  fair locks: how long the next waiter has to claim a handed-over lock, in ms
-- ARGV[5]  unfair locks: how long the woken instance gets the lock before others, in ms
-- ARGV[6]  the prefix of the plain channels that wake an instance, such as 'lock:wake:'
-- ARGV[7]  '1' on a Redis Cluster whose clients use sharded pub/sub: from Redis 7 on, wake-ups
--          then go to sharded per-key channels '<lock key>:wake:<store id>' (SPUBLISH), which
--          stay on the key's own shard
-- Returns 1 if the lock was held by the owner (or by anyone, for 'force') and is now free or
-- handed to the next waiter, else 0. Sends no message when nobody waits.

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

local released
if mode == 'force' then
	released = holder ~= false
else
	released = holder == ARGV[2]
end

if not released then
	-- A waiter that leaves after a release woke it lets the next instance have its turn.
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

local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', nowMs, 'LIMIT', 0, 100)
for _, gone in ipairs(expired) do
	redis.call('ZREM', KEYS[2], gone)
	redis.call('ZREM', KEYS[3], gone)
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
redis.call('SET', KEYS[4], first, 'PX', ARGV[5])
redis.call('ZADD', KEYS[2], 'XX', tonumber(time[1]) * 1000000 + tonumber(time[2]), first)
wake(first, '*', 0)
return released and 1 or 0
