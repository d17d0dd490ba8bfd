package dev.distlock.core;

import java.time.Duration;

/**
 * What a {@link LockStore} tells one waiter it
 * {@linkplain LockStore#subscribe(LockKey, String, LockWaitListener) subscribed}: that a
 * release may let it acquire, or that the store handed the lock to it directly. Called on
 * any thread; must not block.
 *
 * @author Distributed Lock team
 */
public interface LockWaitListener {

	/**
	 * A release may let the waiter acquire: it attempts again.
	 * @return whether the waiter still waits; if not, a store that wakes one waiter per
	 * release wakes the next
	 */
	boolean released();

	/**
	 * The store handed the lock to this waiter: it holds the lock under its owner token
	 * with the given fencing token, kept for it by the store for {@code validFor} counted
	 * from {@code validFromNanos}, until the new holder extends it to its full lease (an
	 * ordinary {@linkplain LockStore#renew renewal}).
	 * @param fencingToken the fencing token of the new holding
	 * @param validFromNanos a {@link System#nanoTime()} value of this JVM at or before
	 * the moment the store handed the lock over (such as when the waiter's attempt that
	 * the store acted on was sent), so that {@code validFromNanos + validFor} never ends
	 * after the store's expiry
	 * @param validFor how long the store keeps the lock for the waiter from then
	 * @return whether the waiter took the lock; if not (it has stopped waiting), the
	 * store passes the lock on
	 */
	boolean granted(long fencingToken, long validFromNanos, Duration validFor);

	/**
	 * Adapt a callback that only learns of releases: a lock handed to the waiter is then
	 * claimed by its next attempt (the store sees that the waiter owns it).
	 * @param onRelease what wakes the waiter
	 * @return a listener that wakes the waiter in both cases
	 */
	static LockWaitListener onRelease(Runnable onRelease) {
		return new LockWaitListener() {

			@Override
			public boolean released() {
				onRelease.run();
				return true;
			}

			@Override
			public boolean granted(long fencingToken, long validFromNanos, Duration validFor) {
				onRelease.run();
				return true;
			}

		};
	}

}
