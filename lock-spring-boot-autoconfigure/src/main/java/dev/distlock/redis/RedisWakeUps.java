package dev.distlock.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.distlock.core.LockKey;
import dev.distlock.core.LockWaitListener;
import dev.distlock.core.LockWaiters;
import dev.distlock.core.WaitSubscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The waiters of one Redis store in this JVM and the subscription that wakes them. A
 * release script publishes at most one message per release, to the one instance it chose
 * ({@code release.lua}), on a channel only that instance subscribes to: either one
 * channel per instance ({@code <prefix>wake:<store id>}, plain pub/sub), or, on a Redis 7
 * Cluster, one sharded channel per key and instance ({@code <lock key>:wake:<store id>},
 * {@code SSUBSCRIBE}) that lives on the key's own shard. Nothing is subscribed until the
 * first wait.
 * <p>
 * A message is {@code <owner> <what> <lock key>}. With {@code <what>} a delay in ms, it
 * wakes the waiter with that owner token (a fair lock was handed to it, or it should
 * retry after the delay), or with owner {@code *} the longest waiter of the key here.
 * With {@code G<fencing token>:<stamp>:<claim ms>}, the lock was handed to that waiter,
 * the instance's candidate: it holds the lock from the stamp (when its attempt was sent)
 * for the claim period. A message for a waiter that is gone passes the lock on
 * ({@code pass}), so a waiter that left never holds the queue up.
 *
 * @author Distributed Lock team
 */
abstract class RedisWakeUps implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisLockStore.class);

	private final LockWaiters waiters = new LockWaiters();

	private final ConcurrentHashMap<String, LockKey> waitedKeys = new ConcurrentHashMap<>();

	private final AtomicBoolean warned = new AtomicBoolean();

	private final RedisKeys keys;

	private final Consumer<LockKey> lastWaiterLeft;

	private final WaiterGone waiterGone;

	RedisWakeUps(RedisKeys keys, Consumer<LockKey> lastWaiterLeft, WaiterGone waiterGone) {
		this.keys = keys;
		this.lastWaiterLeft = lastWaiterLeft;
		this.waiterGone = waiterGone;
	}

	/**
	 * Register a waiter and make sure its wake-ups are subscribed.
	 * @param key the key
	 * @param owner the waiter's owner token
	 * @param listener what to tell it
	 * @return the subscription, ready once the channel is subscribed
	 */
	WaitSubscription subscribe(LockKey key, String owner, LockWaitListener listener) {
		String redisKey = this.keys.lock(key);
		// Registered under the key's entry, so that a last waiter leaving at the same
		// moment (left) either sees this one or has removed the entry before it.
		boolean[] first = new boolean[1];
		WaitSubscription[] registered = new WaitSubscription[1];
		this.waitedKeys.compute(redisKey, (name, current) -> {
			first[0] = current == null;
			registered[0] = this.waiters.register(key, owner, listener);
			return key;
		});
		CompletionStage<Void> ready = listen(redisKey, first[0]).handle((ok, failure) -> {
			if (failure != null && this.warned.compareAndSet(false, true)) {
				logger.warn("Could not subscribe to the lock wake-up channel ("
						+ failure.getMessage().lines().findFirst().orElse("") + "): releases do not wake waiters now, "
						+ "which retry every poll interval instead. Is pub/sub allowed for this Redis user?");
			}
			return null;
		});
		return new WaitSubscription() {

			private final AtomicBoolean closed = new AtomicBoolean();

			@Override
			public CompletionStage<Void> ready() {
				return ready;
			}

			@Override
			public void close() {
				if (this.closed.compareAndSet(false, true)) {
					registered[0].close();
					left(key, redisKey);
				}
			}

		};
	}

	private void left(LockKey key, String redisKey) {
		boolean[] last = new boolean[1];
		this.waitedKeys.computeIfPresent(redisKey, (name, current) -> {
			last[0] = !this.waiters.hasWaiters(key);
			return (last[0]) ? null : current;
		});
		if (last[0]) {
			unlisten(redisKey);
			this.lastWaiterLeft.accept(key);
		}
	}

	/**
	 * Make the longest local waiter of a key attempt at once, if there is one.
	 * @param key the key
	 */
	void wakeOne(LockKey key) {
		this.waiters.wakeOne(key);
	}

	/**
	 * Handle a wake-up message.
	 * @param message {@code <owner> <delay ms> <lock key>}
	 */
	void onMessage(byte[] message) {
		String text = new String(message, StandardCharsets.UTF_8);
		int first = text.indexOf(' ');
		int second = (first > 0) ? text.indexOf(' ', first + 1) : -1;
		if (second < 0) {
			return;
		}
		String owner = text.substring(0, first);
		String what = text.substring(first + 1, second);
		String redisKey = text.substring(second + 1);
		LockKey key = this.waitedKeys.get(redisKey);
		if (what.startsWith("G")) {
			granted(key, redisKey, owner, what);
			return;
		}
		long delay;
		try {
			delay = Long.parseLong(what);
		}
		catch (NumberFormatException ex) {
			return;
		}
		if (delay > 0) {
			CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
				.execute(() -> wake(key, redisKey, owner, false));
		}
		else {
			wake(key, redisKey, owner, true);
		}
	}

	private void granted(@Nullable LockKey key, String redisKey, String owner, String grant) {
		String[] parts = grant.substring(1).split(":", 3);
		if (parts.length != 3) {
			return;
		}
		long fencingToken;
		long stamp;
		long claimMillis;
		try {
			fencingToken = Long.parseLong(parts[0]);
			stamp = Long.parseLong(parts[1]);
			claimMillis = Long.parseLong(parts[2]);
		}
		catch (NumberFormatException ex) {
			return;
		}
		boolean taken = (key != null)
				&& this.waiters.grant(key, owner, fencingToken, stamp, Duration.ofMillis(claimMillis));
		if (!taken) {
			LockKey gone = (key != null) ? key : this.keys.parse(redisKey);
			if (gone != null) {
				this.waiterGone.passOn(gone, owner, false);
			}
		}
	}

	private void wake(@Nullable LockKey key, String redisKey, String owner, boolean passOn) {
		boolean woken = (key != null)
				&& ("*".equals(owner) ? this.waiters.wakeOne(key) : this.waiters.wake(key, owner));
		if (!woken && passOn) {
			LockKey gone = (key != null) ? key : this.keys.parse(redisKey);
			if (gone == null) {
				return;
			}
			if ("*".equals(owner)) {
				this.lastWaiterLeft.accept(gone);
			}
			else {
				this.waiterGone.passOn(gone, owner, true);
			}
		}
	}

	/**
	 * Return whether the wake-ups come over sharded per-key channels, or {@code null} if
	 * not known yet.
	 * @return whether they are sharded
	 */
	abstract @Nullable Boolean isSharded();

	/**
	 * Subscribe to the wake-ups of a key's waiters.
	 * @param redisKey the key's lock key in Redis
	 * @param first whether it is the first local waiter of the key
	 * @return a stage that completes when the subscription is confirmed
	 */
	abstract CompletionStage<Void> listen(String redisKey, boolean first);

	/**
	 * The last local waiter of a key left.
	 * @param redisKey the key's lock key in Redis
	 */
	abstract void unlisten(String redisKey);

	@Override
	public abstract void close();

	/**
	 * Passes on a lock that a release handed to a waiter of this instance that has gone.
	 */
	@FunctionalInterface
	interface WaiterGone {

		/**
		 * Pass the lock on, if it is still handed to the waiter.
		 * @param key the key
		 * @param owner the gone waiter's owner token
		 * @param fair whether the lock is fair (the waiter had a place of its own)
		 */
		void passOn(LockKey key, String owner, boolean fair);

	}

}
