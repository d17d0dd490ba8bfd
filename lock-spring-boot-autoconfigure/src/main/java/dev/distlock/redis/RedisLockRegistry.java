package dev.distlock.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.distlock.core.LockGrant;
import dev.distlock.core.LockKey;
import dev.distlock.core.LockRegistry;
import dev.distlock.core.LockStoreException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;

/**
 * A {@link LockRegistry} on the application's Redis, through its
 * {@link RedisConnectionFactory}: standalone, Sentinel, Cluster, SSL and pooling are
 * whatever the factory was configured with (Lettuce or Jedis).
 * <p>
 * <strong>Keys.</strong> A lock lives at {@code <prefix>{<key>}}, such as
 * {@code lock:{token_refresh:42}}, where {@code <key>} is {@link LockKey#asString()} and
 * the value is the holder's owner token. Its fencing counter lives at
 * {@code lock:{token_refresh:42}:fence}. The braces are a Redis Cluster hash tag, so a
 * lock's keys always share one slot.
 * <p>
 * <strong>Round trips.</strong> Acquire, release, renew and force-release are one Lua
 * script each ({@code acquire.lua}, {@code release.lua}, {@code renew.lua},
 * {@code force-release.lua} beside this class), run by {@code EVALSHA}: one round trip
 * per operation. The first use of a script on a server that does not know it yet costs
 * one more ({@code NOSCRIPT}, then {@code EVAL}, which caches it).
 * <p>
 * <strong>Fencing.</strong> A fencing token is the larger of the key's last token plus
 * one and the Redis server's clock ({@code TIME}) in microseconds. Tokens therefore keep
 * increasing also after the counter was lost (Redis restarted without persistence, the
 * counter evicted or expired), assuming the server's clock does not jump backwards. The
 * counter only protects against a clock that steps back, and only while it exists: it
 * expires ten minutes (or twice the lease, if longer) after the key's last acquire. That
 * bounds its memory to one small string key (about 70 bytes) per lock key acquired within
 * that window, instead of one per lock key ever used.
 * <p>
 * <strong>Waiting.</strong> A release publishes the lock's key on the channel
 * {@code <prefix>released}. Each registry holds one subscription to it (one connection,
 * opened by the first acquire that waits), not one per waiter or per lock, and wakes one
 * waiter of that key in this JVM per release. A waiter is registered before its first
 * attempt and resets its wake-up before each one, so a release between an attempt and the
 * sleep is never missed (the first waiter checks again once the subscription is open). It
 * sleeps at most until the holder's lease ends (the acquire script reports the remaining
 * time) or its wait time is over, so a lost message or a vanished holder costs a timed
 * retry, never more than the wait time.
 * <p>
 * Every Redis or client failure surfaces as {@link LockStoreException}, never as "not
 * acquired". How long an operation waits for an unreachable Redis is the client's command
 * timeout ({@code spring.data.redis.timeout}).
 *
 * @author Distributed Lock team
 */
public class RedisLockRegistry implements LockRegistry, DisposableBean, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisLockRegistry.class);

	private static final Duration FENCE_RETENTION = Duration.ofMinutes(10);

	private static final long MIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long SUBSCRIBE_RECOVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static final RedisScript<Long> ACQUIRE = script("acquire.lua");

	private static final RedisScript<Long> RELEASE = script("release.lua");

	private static final RedisScript<Long> RENEW = script("renew.lua");

	private static final RedisScript<Long> FORCE_RELEASE = script("force-release.lua");

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final String channel;

	private final ConcurrentHashMap<String, Queue<Waiter>> waiters = new ConcurrentHashMap<>();

	private final RedisMessageListenerContainer subscription;

	private final Object subscriptionMonitor = new Object();

	private volatile boolean subscribed;

	private long nextSubscribeAttempt = System.nanoTime();

	private volatile boolean closed;

	/**
	 * Create a registry.
	 * @param connectionFactory the application's Redis connection factory
	 * @param keyPrefix the prefix of every lock key and of the release channel, such as
	 * {@code lock:}
	 */
	public RedisLockRegistry(RedisConnectionFactory connectionFactory, String keyPrefix) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		this.redis = new StringRedisTemplate(connectionFactory);
		// No proxy per call: the scripts never close the connection they are given.
		this.redis.setExposeConnection(true);
		this.keyPrefix = keyPrefix;
		this.channel = keyPrefix + "released";
		this.subscription = createSubscription(connectionFactory, this.channel);
	}

	private RedisMessageListenerContainer createSubscription(RedisConnectionFactory connectionFactory, String channel) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		// Waking a waiter is a non-blocking unpark: run it on the client's own
		// receiving thread instead of starting a thread per message.
		container.setTaskExecutor(Runnable::run);
		SimpleAsyncTaskExecutor subscriptionExecutor = new SimpleAsyncTaskExecutor(
				"distributed-lock-redis-subscription-");
		subscriptionExecutor.setDaemon(true);
		container.setSubscriptionExecutor(subscriptionExecutor);
		container.addMessageListener(this::onReleased, new ChannelTopic(channel));
		container.afterPropertiesSet();
		return container;
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
		return this.keyPrefix + "{" + key.asString() + "}";
	}

	/**
	 * Return the Redis key of a lock's fencing counter: {@code <prefix>{<key>}:fence}.
	 * @param key the lock key
	 * @return the Redis key of its fencing counter
	 */
	public String fencingCounterKey(LockKey key) {
		return redisKey(key) + ":fence";
	}

	@Override
	public Optional<LockGrant> tryAcquire(LockKey key, String owner, Duration leaseTime, Duration waitTime)
			throws InterruptedException {
		String lockKey = redisKey(key);
		List<String> keys = List.of(lockKey, lockKey + ":fence");
		String[] args = { owner, Long.toString(leaseTime.toMillis()),
				Long.toString(Math.max(FENCE_RETENTION.toMillis(), leaseTime.toMillis() * 2)) };
		if (waitTime.isZero() || waitTime.isNegative()) {
			return grant(acquireOnce(key, keys, args), leaseTime);
		}
		long deadline = System.nanoTime() + waitTime.toNanos();
		String name = key.asString();
		Waiter waiter = join(name);
		boolean acquired = false;
		try {
			while (true) {
				// Cleared before the attempt: a release after it wakes the sleep below.
				waiter.clear();
				long result = acquireOnce(key, keys, args);
				if (result > 0) {
					acquired = true;
					return grant(result, leaseTime);
				}
				if (subscribe()) {
					// The subscription just opened: a release may have come before it.
					continue;
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return Optional.empty();
				}
				long sleep = remaining;
				if (result < 0) {
					long untilExpiry = TimeUnit.MILLISECONDS.toNanos(-result - 1);
					sleep = Math.min(sleep, Math.max(untilExpiry, MIN_RETRY_NANOS));
				}
				if (logger.isTraceEnabled()) {
					logger
						.trace("Waiting up to " + TimeUnit.NANOSECONDS.toMillis(sleep) + " ms for lock '" + key + "'");
				}
				waiter.await(sleep);
			}
		}
		finally {
			leave(name, waiter, acquired);
		}
	}

	private long acquireOnce(LockKey key, List<String> keys, String[] args) throws InterruptedException {
		try {
			return run(ACQUIRE, "acquire", key, keys, args);
		}
		catch (LockStoreException ex) {
			// An interrupt while the client waited for Redis: report it as one.
			if (Thread.interrupted()) {
				InterruptedException interrupted = new InterruptedException(
						"Interrupted while acquiring lock '" + key + "'");
				interrupted.initCause(ex);
				throw interrupted;
			}
			throw ex;
		}
	}

	private Optional<LockGrant> grant(long result, Duration leaseTime) {
		return (result > 0) ? Optional.of(new LockGrant(result, Instant.now().plus(leaseTime))) : Optional.empty();
	}

	@Override
	public boolean renew(LockKey key, String owner, Duration leaseTime) {
		return run(RENEW, "renew", key, List.of(redisKey(key)), owner, Long.toString(leaseTime.toMillis())) == 1;
	}

	@Override
	public boolean release(LockKey key, String owner) {
		return run(RELEASE, "release", key, List.of(redisKey(key)), owner, this.channel, key.asString()) == 1;
	}

	@Override
	public boolean forceRelease(LockKey key) {
		return run(FORCE_RELEASE, "force-release", key, List.of(redisKey(key)), this.channel, key.asString()) == 1;
	}

	@Override
	public void checkAvailability() {
		String answer;
		try {
			answer = this.redis.execute((RedisCallback<String>) RedisConnection::ping);
		}
		catch (RuntimeException ex) {
			throw new LockStoreException("Redis did not answer PING: " + ex.getMessage(), ex);
		}
		if (!"PONG".equalsIgnoreCase(answer)) {
			throw new LockStoreException("Redis answered PING with '" + answer + "'", null);
		}
	}

	private long run(RedisScript<Long> script, String operation, LockKey key, List<String> keys, String... args) {
		Long result;
		try {
			result = this.redis.execute(script, keys, (Object[]) args);
		}
		catch (RuntimeException ex) {
			throw new LockStoreException("Redis failed to " + operation + " lock '" + key + "' (key " + keys.get(0)
					+ "): " + ex.getMessage(), ex);
		}
		if (result == null) {
			throw new LockStoreException(
					"Redis returned no result to " + operation + " lock '" + key + "' (key " + keys.get(0) + ")", null);
		}
		return result;
	}

	/**
	 * Open the shared subscription to the release channel, the first time a caller waits.
	 * After a failure (Redis unreachable), the next attempt comes after the recovery
	 * interval; waiters meanwhile retry when the holder's lease ends.
	 * @return whether this call opened it, so the caller must check the lock again
	 */
	private boolean subscribe() {
		if (this.subscribed) {
			return false;
		}
		synchronized (this.subscriptionMonitor) {
			if (this.subscribed || this.closed || System.nanoTime() - this.nextSubscribeAttempt < 0) {
				return false;
			}
			try {
				this.subscription.start();
				this.subscribed = true;
				return true;
			}
			catch (RuntimeException ex) {
				this.subscription.stop();
				this.nextSubscribeAttempt = System.nanoTime() + SUBSCRIBE_RECOVERY_NANOS;
				logger.warn("Could not subscribe to the lock release channel '" + this.channel
						+ "'; waiters retry when a holder's lease ends until it works", ex);
				return false;
			}
		}
	}

	/**
	 * Return whether the shared subscription to the release channel is listening.
	 * @return whether releases wake waiters now
	 */
	public boolean isListening() {
		return this.subscribed && this.subscription.isListening();
	}

	private void onReleased(Message message, byte[] pattern) {
		signalOne(new String(message.getBody(), StandardCharsets.UTF_8));
	}

	/**
	 * Wake the first waiter of the key that was not woken yet: one per release, so a
	 * release does not start a stampede of attempts of which all but one fail.
	 */
	private void signalOne(String name) {
		Queue<Waiter> queue = this.waiters.get(name);
		if (queue != null) {
			for (Waiter waiter : queue) {
				if (waiter.signal()) {
					return;
				}
			}
		}
	}

	private Waiter join(String name) {
		Waiter waiter = new Waiter(Thread.currentThread());
		this.waiters.compute(name, (k, queue) -> {
			Queue<Waiter> joined = (queue != null) ? queue : new ConcurrentLinkedQueue<>();
			joined.add(waiter);
			return joined;
		});
		return waiter;
	}

	private void leave(String name, Waiter waiter, boolean acquired) {
		this.waiters.computeIfPresent(name, (k, queue) -> {
			queue.remove(waiter);
			return queue.isEmpty() ? null : queue;
		});
		if (!acquired && waiter.isSignalled()) {
			// Woken by a release it will not use: pass it on to the next waiter.
			signalOne(name);
		}
	}

	/**
	 * Close the subscription to the release channel. Waiting callers fall back to timed
	 * retries.
	 */
	@Override
	public void close() {
		synchronized (this.subscriptionMonitor) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.subscribed = false;
		}
		try {
			this.subscription.destroy();
		}
		catch (Exception ex) {
			logger.debug("Failed to close the lock release subscription", ex);
		}
	}

	@Override
	public void destroy() {
		close();
	}

	@Override
	public String toString() {
		return "RedisLockRegistry[keyPrefix=" + this.keyPrefix + "]";
	}

	private static RedisScript<Long> script(String name) {
		// Read once: a script backed by a resource checks the resource's
		// modification time on every call, which costs more than the client's work.
		ClassPathResource resource = new ClassPathResource(name, RedisLockRegistry.class);
		try {
			return RedisScript.of(resource.getContentAsString(StandardCharsets.UTF_8), Long.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read the Redis lock script " + resource, ex);
		}
	}

	/**
	 * A thread waiting for a key, and whether a release woke it since its last attempt.
	 */
	private static final class Waiter {

		private final Thread thread;

		private final AtomicBoolean signalled = new AtomicBoolean();

		Waiter(Thread thread) {
			this.thread = thread;
		}

		boolean signal() {
			if (this.signalled.compareAndSet(false, true)) {
				LockSupport.unpark(this.thread);
				return true;
			}
			return false;
		}

		boolean isSignalled() {
			return this.signalled.get();
		}

		void clear() {
			this.signalled.set(false);
		}

		void await(long nanos) throws InterruptedException {
			if (!this.signalled.get()) {
				LockSupport.parkNanos(this, nanos);
			}
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}

	}

}
