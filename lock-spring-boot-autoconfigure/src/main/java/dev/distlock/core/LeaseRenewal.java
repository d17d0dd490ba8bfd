package dev.distlock.core;

import java.time.Duration;
import java.util.Objects;

/**
 * One lease to extend, as {@link LockStore#renew} receives it.
 *
 * @param key the lock key
 * @param owner the holder's owner token
 * @param leaseTime the new lease time, from now by the store's clock
 * @author Distributed Lock team
 */
public record LeaseRenewal(LockKey key, String owner, Duration leaseTime) {

	/**
	 * Validate the renewal.
	 * @param key the lock key
	 * @param owner the holder's owner token
	 * @param leaseTime the new lease time
	 */
	public LeaseRenewal {
		Objects.requireNonNull(key, "key must not be null");
		Objects.requireNonNull(owner, "owner must not be null");
		Durations.requirePositive(leaseTime, "leaseTime");
	}

}
