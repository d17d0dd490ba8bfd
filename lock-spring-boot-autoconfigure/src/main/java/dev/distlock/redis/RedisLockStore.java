package dev.distlock.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import dev.distlock.core.AcquireResult;
import dev.distlock.core.Durations;
import dev.distlock.core.HandOverResult;
import dev.distlock.core.LeaseRenewal;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRequest;
import dev.distlock.core.LockStore;
import dev.distlock.core.LockStoreException;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.WaitSubscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * A {@link LockStore} on the application's Redis, through its
 * {@link RedisConnectionFactory}: standalone, Sentinel, Cluster, SSL and pooling are
 * whatever the factory was configured with.
 * <p>
 * <strong>Keys.</strong> A lock lives at {@code <prefix>{<key>}}, such as
 * {@code lock:{token_refresh:42}}, where {@code <key>} is {@link LockKey#asString()} and
 * the value is the holder's owner token. Its fencing counter lives at
 * {@code lock:{token_refresh:42}:fence}, and while anyone waits, its waiters at
 * {@code ...:queue}, {@code ...:expiry} and {@code ...:next}, and for a moment after a
 * release {@code ...:woken} or {@code ...:handed}. The braces are a Redis Cluster hash
 * tag, so a lock's keys always share one slot.
 * <p>
 * <strong>Round trips.</strong> Every operation is one Lua script run by {@code EVALSHA}
 * ({@code acquire.lua} for a caller that does not wait, {@code acquire-waiting.lua},
 * {@code release.lua}, {@code renew.lua} beside this class), so acquire and release are
 * one round trip each, and the renewals due together are one round trip per Cluster slot.
 * The first use of a script on a server costs one more ({@code NOSCRIPT}, then
 * {@code EVAL}). With Lettuce, the calls use Lettuce's asynchronous API on the factory's
 * shared connection, so no thread waits for Redis; with other clients (Jedis) they run on
 * a small executor of their own.
 * <p>
 * <strong>Fencing.</strong> A fencing token is the larger of the key's last token plus
 * one and the Redis server's clock ({@code TIME}) in microseconds. Tokens therefore keep
 * increasing also after the counter was lost (Redis restarted without persistence, the
 * counter evicted or expired), assuming the server's clock does not jump backwards. The
 * counter expires ten minutes (or twice the lease, if longer) after the key's last
 * acquire, which bounds its memory to one small key per lock key used in that window.
 * <p>
 * <strong>Waiting.</strong> A caller that waits keeps a place in the lock's queue: one
 * per instance for an unfair lock, one per waiter for a fair one, each expiring when its
 * waiter's wait would end (so places of crashed waiters never leak). A release sends
 * nothing when nobody waits. Otherwise it serves exactly one instance, with one message
 * on a channel only that instance subscribes to: the longest-waiting instance, which then
 * moves to the end of the queue, so waiters cannot be starved by callers that keep coming
 * back. The release hands the lock to that instance's candidate (the waiter whose attempt
 * reached Redis last) for the {@linkplain #CLAIM_PERIOD claim period}, and the message
 * carries the new fencing token, so the waiter holds the lock without another round trip;
 * its lease is counted from when that attempt was sent, and its first renewal (a third
 * into the claim period, also for leases that do not renew otherwise — those claim it at
 * once with an attempt) extends it to the whole lease. Without a candidate, the instance
 * gets the lock first for a short while (the {@linkplain #WAKE_WINDOW wake window}). A
 * fair lock is handed to its first waiter, which claims it with an attempt within the
 * claim period; if it vanished, the next waiter takes over when that period ends. A lock
 * handed to a waiter that has gone is passed on by its instance at once, unless that
 * waiter claimed it meanwhile. Waiters also retry at the holder's lease end and at least
 * every poll interval, so a lost message or a server that refuses pub/sub (logged once)
 * costs a delay, never a lock.
 * <p>
 * Every Redis or client failure surfaces as {@link LockStoreException}, never as "not
 * acquired". The template bounds every call in time; a call that timed out may still
 * reach Redis, so the template releases its owner token once Redis answers again.
 *
 * @author Distributed Lock team
 */
public class RedisLockStore implements LockStore, DisposableBean, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisLockStore.class);

	private static final boolean lettucePresent = ClassUtils.isPresent(
			"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
			RedisLockStore.class.getClassLoader())
			&& ClassUtils.isPresent("io.lettuce.core.RedisClient", RedisLockStore.class.getClassLoader());

	private static final Duration FENCE_RETENTION = Duration.ofMinutes(10);

	/**
	 * How long a waiter that was handed the lock keeps it before it claims it for its
	 * lease.
	 */
	public static final Duration CLAIM_PERIOD = Duration.ofSeconds(2);

	/** Unfair locks: how long the instance a release woke has the lock before others. */
	public static final Duration WAKE_WINDOW = Duration.ofMillis(200);

	private static final byte[] RELEASE = LuaScript.bytes("release");

	private static final byte[] FORCE = LuaScript.bytes("force");

	private static final byte[] ABANDON = LuaScript.bytes("abandon");

	private static final byte[] HANDOVER = LuaScript.bytes("handover");

	private static final byte[] PASS = LuaScript.bytes("pass");

	private static final byte[] EMPTY = new byte[0];

	private static final byte[] ONE = LuaScript.bytes("1");

	private static final byte[] ZERO = LuaScript.bytes("0");

	private final RedisKeys keys;

	private final RedisCommands commands;

	private final String storeId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);

	private final Duration pollInterval;

	private final Object wakeUpsMonitor = new Object();

	private final RedisConnectionFactory connectionFactory;

	private final boolean lettuce;

	private final byte[] channelPrefix;

	private final byte[] shardedWakeUps;

	private volatile @Nullable RedisWakeUps wakeUps;

	/**
	 * Create a store with a poll interval of one second.
	 * @param connectionFactory the application's Redis connection factory
	 * @param keyPrefix the prefix of every lock key and wake-up channel, such as
	 * {@code lock:}
	 * @throws IllegalArgumentException if the prefix contains a hash tag ({@code {} or
	 * {@code }}), which would put every lock in one Cluster slot
	 */
	public RedisLockStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this(connectionFactory, keyPrefix, Duration.ofSeconds(1));
	}

	/**
	 * Create a store.
	 * @param connectionFactory the application's Redis connection factory
	 * @param keyPrefix the prefix of every lock key and wake-up channel, such as
	 * {@code lock:}
	 * @param pollInterval the longest a waiter sleeps between attempts when no release
	 * wakes it
	 * @throws IllegalArgumentException if the prefix contains a hash tag ({@code {} or
	 * {@code }}), which would put every lock in one Cluster slot
	 */
	public RedisLockStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration pollInterval) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		Assert.isTrue(keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0, () -> "Redis key prefix '" + keyPrefix
				+ "' must not contain '{' or '}': a hash tag in the prefix would put every lock in one Cluster slot");
		this.connectionFactory = connectionFactory;
		this.keys = new RedisKeys(keyPrefix);
		this.pollInterval = Durations.requirePositive(pollInterval, "pollInterval");
		this.lettuce = lettucePresent && LettuceSupport.isLettuce(connectionFactory);
		this.commands = this.lettuce ? LettuceSupport.commands(connectionFactory)
				: new TemplateRedisCommands(connectionFactory);
		this.channelPrefix = LuaScript.bytes(keyPrefix + "wake:");
		// Sharded pub/sub only with Lettuce on a Cluster; the scripts use it from Redis 7
		// on, and so does the subscriber (LettuceWakeUps).
		this.shardedWakeUps = (this.lettuce && this.commands.isCluster()) ? ONE : ZERO;
	}

	@Override
	public String storeName() {
		return "redis";
	}

	/**
	 * Return the Redis key of a lock: {@code <prefix>{<key>}}.
	 * @param key the lock key
	 * @return the Redis key
	 */
	public String redisKey(LockKey key) {
		return this.keys.lock(key);
	}

	/**
	 * Return the Redis key of a lock's fencing counter: {@code <prefix>{<key>}:fence}.
	 * @param key the lock key
	 * @return the Redis key of its fencing counter
	 */
	public String fencingCounterKey(LockKey key) {
		return RedisKeys.fence(redisKey(key));
	}

	@Override
	public CompletionStage<AcquireResult> tryAcquire(LockRequest request) {
		String lock = redisKey(request.key());
		byte[] owner = LuaScript.bytes(request.owner());
		byte[] lease = number(request.leaseTime().toMillis());
		byte[] retention = number(Math.max(FENCE_RETENTION.toMillis(), request.leaseTime().toMillis() * 2));
		CompletableFuture<Object> result;
		if (!request.isWaiting()) {
			result = this.commands.eval(LuaScript.ACQUIRE, keys(lock, RedisKeys.fence(lock)),
					new byte[][] { owner, lease, retention });
		}
		else {
			result = this.commands.eval(LuaScript.ACQUIRE_WAITING,
					keys(lock, RedisKeys.fence(lock), RedisKeys.queue(lock), RedisKeys.expiry(lock),
							RedisKeys.woken(lock), RedisKeys.candidates(lock), RedisKeys.handed(lock)),
					new byte[][] { owner, lease, retention, LuaScript.bytes(place(request.owner(), request.fair())),
							number(Math.max(request.waiting().toMillis(), 1)), request.fair() ? ONE : ZERO,
							number(CLAIM_PERIOD.toMillis()), this.channelPrefix, this.shardedWakeUps,
							number(System.nanoTime()) });
		}
		return result.thenApply(RedisLockStore::acquireResult);
	}

	private static AcquireResult acquireResult(Object result) {
		long value = ((Number) result).longValue();
		if (value > 0) {
			return AcquireResult.acquired(value);
		}
		return (value == 0) ? AcquireResult.held() : AcquireResult.held(Duration.ofMillis(-value - 1));
	}

	private String place(String owner, boolean fair) {
		return fair ? this.storeId + "|" + owner : this.storeId;
	}

	@Override
	public CompletionStage<Boolean> release(LockKey key, String owner) {
		return releaseScript(key, RELEASE, LuaScript.bytes(owner), EMPTY);
	}

	@Override
	public CompletionStage<HandOverResult> handOver(LockKey key, String owner, LockRequest next,
			boolean yieldToOthers) {
		String lock = redisKey(key);
		byte[] nextLease = number(next.leaseTime().toMillis());
		byte[] retention = number(Math.max(FENCE_RETENTION.toMillis(), next.leaseTime().toMillis() * 2));
		return this.commands
			.eval(LuaScript.RELEASE, releaseKeys(lock),
					new byte[][] { HANDOVER, LuaScript.bytes(owner), EMPTY, number(CLAIM_PERIOD.toMillis()),
							number(WAKE_WINDOW.toMillis()), this.channelPrefix, this.shardedWakeUps,
							LuaScript.bytes(next.owner()), LuaScript.bytes(place(next.owner(), next.fair())), nextLease,
							retention, yieldToOthers ? ONE : ZERO, number(Math.max(next.waiting().toMillis(), 1)),
							number(System.nanoTime()), EMPTY })
			.thenCompose((result) -> {
				long value = ((Number) result).longValue();
				if (value > 1) {
					return CompletableFuture.completedFuture(new HandOverResult(true, AcquireResult.acquired(value)));
				}
				if (value == 0) {
					// The owner did not hold the lock: the next holder makes an ordinary
					// attempt.
					return tryAcquire(next).thenApply((answer) -> new HandOverResult(false, answer));
				}
				// Released to the waiters of other instances: the next holder waits for
				// its
				// turn.
				return CompletableFuture.completedFuture(
						new HandOverResult(true, AcquireResult.held(next.fair() ? CLAIM_PERIOD : WAKE_WINDOW)));
			});
	}

	@Override
	public CompletionStage<Boolean> forceRelease(LockKey key) {
		return releaseScript(key, FORCE, EMPTY, EMPTY);
	}

	@Override
	public CompletionStage<Boolean> abandon(LockRequest request) {
		// An unfair waiter's place is its instance's, which stays while others of this
		// instance wait: the wake-ups drop it when the last one leaves. The waiter stops
		// being the instance's candidate.
		byte[] place = request.fair() ? LuaScript.bytes(place(request.owner(), true)) : EMPTY;
		return releaseScript(request.key(), ABANDON, LuaScript.bytes(request.owner()), place,
				request.fair() ? EMPTY : LuaScript.bytes(this.storeId));
	}

	private CompletionStage<Boolean> releaseScript(LockKey key, byte[] mode, byte[] owner, byte[] place) {
		return releaseScript(key, mode, owner, place, EMPTY);
	}

	private CompletionStage<Boolean> releaseScript(LockKey key, byte[] mode, byte[] owner, byte[] place,
			byte[] candidateOf) {
		return this.commands
			.eval(LuaScript.RELEASE, releaseKeys(redisKey(key)),
					new byte[][] { mode, owner, place, number(CLAIM_PERIOD.toMillis()), number(WAKE_WINDOW.toMillis()),
							this.channelPrefix, this.shardedWakeUps, EMPTY, EMPTY, EMPTY, EMPTY, ZERO, ZERO, EMPTY,
							candidateOf })
			.thenApply((result) -> ((Number) result).longValue() == 1);
	}

	private static byte[][] releaseKeys(String lock) {
		return keys(lock, RedisKeys.queue(lock), RedisKeys.expiry(lock), RedisKeys.woken(lock), RedisKeys.fence(lock),
				RedisKeys.candidates(lock), RedisKeys.handed(lock));
	}

	@Override
	public CompletionStage<List<Boolean>> renew(List<LeaseRenewal> renewals) {
		if (renewals.isEmpty()) {
			return CompletableFuture.completedFuture(List.of());
		}
		// One script per lease time and, on a Cluster, per slot: a script's keys must
		// share a slot. Results come back in the order of the renewals.
		Map<String, List<Integer>> groups = new LinkedHashMap<>();
		boolean cluster = this.commands.isCluster();
		for (int i = 0; i < renewals.size(); i++) {
			LeaseRenewal renewal = renewals.get(i);
			String lock = redisKey(renewal.key());
			String group = renewal.leaseTime().toMillis()
					+ (cluster ? "/" + ClusterSlotHashUtil.calculateSlot(lock) : "");
			groups.computeIfAbsent(group, (g) -> new ArrayList<>()).add(i);
		}
		Boolean[] results = new Boolean[renewals.size()];
		List<CompletableFuture<?>> calls = new ArrayList<>(groups.size());
		for (List<Integer> indexes : groups.values()) {
			byte[][] lockKeys = new byte[indexes.size()][];
			byte[][] args = new byte[indexes.size() + 1][];
			args[0] = number(renewals.get(indexes.get(0)).leaseTime().toMillis());
			for (int j = 0; j < indexes.size(); j++) {
				LeaseRenewal renewal = renewals.get(indexes.get(j));
				lockKeys[j] = LuaScript.bytes(redisKey(renewal.key()));
				args[j + 1] = LuaScript.bytes(renewal.owner());
			}
			calls.add(this.commands.eval(LuaScript.RENEW, lockKeys, args).thenAccept((answer) -> {
				List<?> values = (List<?>) answer;
				for (int j = 0; j < indexes.size(); j++) {
					results[indexes.get(j)] = ((Number) values.get(j)).longValue() == 1;
				}
			}));
		}
		return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply((done) -> List.of(results));
	}

	@Override
	public WaitSubscription subscribe(LockKey key, String owner, Runnable onRelease) {
		return subscribe(key, owner, LockWaitListener.onRelease(onRelease));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A release by another instance may hand the lock to this instance's candidate, the
	 * waiter whose attempt (or hand-over) reached Redis last: the message then carries
	 * the fencing token, and the lock is the waiter's for {@link #CLAIM_PERIOD} from when
	 * that attempt was sent, until its first renewal extends it to the whole lease.
	 */
	@Override
	public WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		return wakeUps().subscribe(key, owner, listener);
	}

	@Override
	public Duration pollInterval() {
		return this.pollInterval;
	}

	@Override
	public @Nullable Executor blockingExecutor() {
		return this.commands.blockingExecutor();
	}

	@Override
	public void checkAvailability() {
		String answer;
		try {
			answer = this.commands.ping();
		}
		catch (RuntimeException ex) {
			throw new LockStoreException("Redis did not answer PING: " + ex.getMessage(), ex);
		}
		if (!"PONG".equalsIgnoreCase(answer)) {
			throw new LockStoreException("Redis answered PING with '" + answer + "'", null);
		}
	}

	/**
	 * Return whether waiters of this store are woken over sharded pub/sub (a Redis 7
	 * Cluster), or {@code null} if that is not known yet (nobody waited).
	 * @return whether wake-ups are sharded, or {@code null}
	 */
	public @Nullable Boolean isShardedWakeUps() {
		RedisWakeUps current = this.wakeUps;
		return (current != null) ? current.isSharded() : null;
	}

	private RedisWakeUps wakeUps() {
		RedisWakeUps current = this.wakeUps;
		if (current == null) {
			synchronized (this.wakeUpsMonitor) {
				current = this.wakeUps;
				if (current == null) {
					current = this.lettuce
							? LettuceSupport.wakeUps(this.connectionFactory, this.shardedWakeUps == ONE, this.keys,
									this.storeId, this::lastWaiterLeft, this::waiterGone)
							: new ContainerWakeUps(this.connectionFactory, this.keys, this.storeId,
									this::lastWaiterLeft, this::waiterGone);
					this.wakeUps = current;
				}
			}
		}
		return current;
	}

	private void lastWaiterLeft(LockKey key) {
		// Drop this instance's place (unfair locks), and pass on a turn a release gave
		// this instance that nobody here will take.
		releaseScript(key, ABANDON, EMPTY, LuaScript.bytes(this.storeId)).whenComplete((result, failure) -> {
			if (failure != null) {
				logger.debug("Failed to leave the queue of lock '" + key + "'; the place expires", failure);
			}
			// A waiter of this instance may have come while the drop was on its way,
			// its attempt (which kept the place) reaching Redis before the drop: the
			// place is gone then, and releases elsewhere would not yield to this
			// instance. Its longest waiter attempts again, which takes the place
			// back.
			wakeUps().wakeOne(key);
		});
	}

	private void waiterGone(LockKey key, String owner, boolean fair) {
		// The lock was handed to a waiter of this instance that has gone: pass it on,
		// unless the waiter claimed it meanwhile (an attempt of its own that found the
		// lock
		// handed to it: it holds the lock now, though it no longer waits).
		releaseScript(key, PASS, LuaScript.bytes(owner), fair ? LuaScript.bytes(place(owner, true)) : EMPTY)
			.whenComplete((result, failure) -> {
				if (failure != null) {
					logger.debug("Failed to pass on lock '" + key + "' handed to a waiter that has gone", failure);
				}
			});
	}

	/**
	 * Close the wake-up subscription. Waiting callers fall back to timed retries.
	 */
	@Override
	public void close() {
		RedisWakeUps current;
		synchronized (this.wakeUpsMonitor) {
			current = this.wakeUps;
		}
		if (current != null) {
			current.close();
		}
		this.commands.close();
	}

	@Override
	public void destroy() {
		close();
	}

	@Override
	public String toString() {
		return "RedisLockStore[keyPrefix=" + this.keys.prefix() + "]";
	}

	private static byte[] number(long value) {
		return LuaScript.bytes(Long.toString(value));
	}

	private static byte[][] keys(String... names) {
		byte[][] keys = new byte[names.length][];
		for (int i = 0; i < names.length; i++) {
			keys[i] = LuaScript.bytes(names[i]);
		}
		return keys;
	}

	/**
	 * Keeps Lettuce types out of this class, so it loads without Lettuce.
	 */
	private static final class LettuceSupport {

		static boolean isLettuce(RedisConnectionFactory connectionFactory) {
			return connectionFactory instanceof org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
		}

		static RedisCommands commands(RedisConnectionFactory connectionFactory) {
			return new LettuceRedisCommands(
					(org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory) connectionFactory);
		}

		static RedisWakeUps wakeUps(RedisConnectionFactory connectionFactory, boolean cluster, RedisKeys keys,
				String storeId, java.util.function.Consumer<LockKey> lastWaiterLeft,
				RedisWakeUps.WaiterGone waiterGone) {
			return new LettuceWakeUps(
					(org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory) connectionFactory,
					cluster, keys, storeId, lastWaiterLeft, waiterGone);
		}

	}

}
