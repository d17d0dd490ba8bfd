package dev.distlock.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One attempt to acquire a lock, as {@link LockStore#tryAcquire} receives it.
 *
 * @param key the lock key
 * @param owner the new holder's owner token, unique to this acquisition
 * @param leaseTime how long the store keeps the lock unless it is renewed, positive
 * @param waiting how much longer the caller is prepared to wait after this attempt, zero
 * for a caller that does not wait; a store that queues waiters keeps the owner's place
 * for about this long
 * @param fair whether the lock must go to waiters in the order they arrived
 * @param timeout the longest this attempt may take before the store reports a
 * {@link LockStoreException}
 * @author Distributed Lock team
 */
public record LockRequest(LockKey key, String owner, Duration leaseTime, Duration waiting, boolean fair,
		Duration timeout) {

	/**
	 * Validate the request.
	 * @param key the lock key
	 * @param owner the new holder's owner token
	 * @param leaseTime the lease time
	 * @param waiting how much longer the caller waits
	 * @param fair whether the lock is fair
	 * @param timeout the time bound of the attempt
	 */
	public LockRequest {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(owner, "owner must not be null");
		Durations.requirePositive(leaseTime, "leaseTime");
		Durations.requireNotNegative(waiting, "waiting");
		Durations.requirePositive(timeout, "timeout");
	}

	/**
	 * Return whether the caller waits after this attempt if the lock is held.
	 * @return whether {@link #waiting()} is positive
	 */
	public boolean isWaiting() {
		return !this.waiting.isZero();
	}

}
