package dev.distlock.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The waiters of one store in this JVM, per key and in arrival order: a building block
 * for {@link LockStore#subscribe}. A store registers each subscription here and, when it
 * learns of a release (its own, or one another instance announced), wakes one waiter of
 * the key, or the one the store chose.
 *
 * @author Distributed Lock team
 */
public final class LockWaiters {

	private final ConcurrentHashMap<LockKey, ConcurrentLinkedQueue<Waiter>> waiters = new ConcurrentHashMap<>();

	/**
	 * Create an empty registry of waiters.
	 */
	public LockWaiters() {
	}

	/**
	 * Register a waiter. Its subscription is ready at once.
	 * @param key the key it waits for
	 * @param owner its owner token
	 * @param onRelease what wakes it
	 * @return the subscription; closing it unregisters the waiter
	 */
	public WaitSubscription register(LockKey key, String owner, Runnable onRelease) {
		return register(key, owner, LockWaitListener.onRelease(onRelease));
	}

	/**
	 * Register a waiter that may also be handed the lock. Its subscription is ready at
	 * once.
	 * @param key the key it waits for
	 * @param owner its owner token
	 * @param listener what to tell it
	 * @return the subscription; closing it unregisters the waiter
	 */
	public WaitSubscription register(LockKey key, String owner, LockWaitListener listener) {
		Waiter waiter = new Waiter(key, owner, listener);
		this.waiters.compute(key, (k, queue) -> {
			ConcurrentLinkedQueue<Waiter> joined = (queue != null) ? queue : new ConcurrentLinkedQueue<>();
			joined.add(waiter);
			return joined;
		});
		return waiter;
	}

	/**
	 * Wake the longest waiter of a key.
	 * @param key the key
	 * @return whether a waiter was woken
	 */
	public boolean wakeOne(LockKey key) {
		ConcurrentLinkedQueue<Waiter> queue = this.waiters.get(key);
		if (queue != null) {
			for (Waiter waiter : queue) {
				if (waiter.listener.released()) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Wake the waiter with the given owner token.
	 * @param key the key
	 * @param owner the waiter's owner token
	 * @return whether it was waiting
	 */
	public boolean wake(LockKey key, String owner) {
		ConcurrentLinkedQueue<Waiter> queue = this.waiters.get(key);
		if (queue != null) {
			for (Waiter waiter : queue) {
				if (waiter.owner.equals(owner)) {
					return waiter.listener.released();
				}
			}
		}
		return false;
	}

	/**
	 * Tell the waiter with the given owner token that the store handed it the lock.
	 * @param key the key
	 * @param owner the waiter's owner token
	 * @param fencingToken the fencing token of its holding
	 * @param validFromNanos when the store's hand-over began at the latest, by
	 * {@link System#nanoTime()}
	 * @param validFor how long the store keeps the lock for it from then
	 * @return whether it was waiting and took the lock; if not, the caller passes the
	 * lock on
	 * @see LockWaitListener#granted
	 */
	public boolean grant(LockKey key, String owner, long fencingToken, long validFromNanos, Duration validFor) {
		ConcurrentLinkedQueue<Waiter> queue = this.waiters.get(key);
		if (queue != null) {
			for (Waiter waiter : queue) {
				if (waiter.owner.equals(owner)) {
					return waiter.listener.granted(fencingToken, validFromNanos, validFor);
				}
			}
		}
		return false;
	}

	/**
	 * Wake every waiter of a key.
	 * @param key the key
	 */
	public void wakeAll(LockKey key) {
		ConcurrentLinkedQueue<Waiter> queue = this.waiters.get(key);
		if (queue != null) {
			queue.forEach((waiter) -> waiter.listener.released());
		}
	}

	/**
	 * Return whether anyone waits for a key.
	 * @param key the key
	 * @return whether the key has waiters
	 */
	public boolean hasWaiters(LockKey key) {
		return this.waiters.containsKey(key);
	}

	/**
	 * Return the keys that have waiters now.
	 * @return the keys
	 */
	public Set<LockKey> keys() {
		return Set.copyOf(this.waiters.keySet());
	}

	private void unregister(Waiter waiter) {
		this.waiters.computeIfPresent(waiter.key, (k, queue) -> {
			queue.remove(waiter);
			return queue.isEmpty() ? null : queue;
		});
	}

	private final class Waiter implements WaitSubscription {

		private final LockKey key;

		private final String owner;

		private final LockWaitListener listener;

		private final AtomicBoolean closed = new AtomicBoolean();

		Waiter(LockKey key, String owner, LockWaitListener listener) {
			this.key = key;
			this.owner = owner;
			this.listener = listener;
		}

		@Override
		public CompletionStage<Void> ready() {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void close() {
			if (this.closed.compareAndSet(false, true)) {
				unregister(this);
			}
		}

	}

}
