package dev.distlock.core;

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
		Waiter waiter = new Waiter(key, owner, onRelease);
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
		Waiter first = (queue != null) ? queue.peek() : null;
		if (first == null) {
			return false;
		}
		first.onRelease.run();
		return true;
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
					waiter.onRelease.run();
					return true;
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
			queue.forEach((waiter) -> waiter.onRelease.run());
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

		private final Runnable onRelease;

		private final AtomicBoolean closed = new AtomicBoolean();

		Waiter(LockKey key, String owner, Runnable onRelease) {
			this.key = key;
			this.owner = owner;
			this.onRelease = onRelease;
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
