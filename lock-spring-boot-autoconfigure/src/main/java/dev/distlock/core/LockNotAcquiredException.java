package dev.distlock.core;

import java.io.Serial;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The lock is held by someone else and did not become free within the wait time. Never
 * thrown for a store failure: that is a {@link LockStoreException}.
 *
 * @author Distributed Lock team
 */
public class LockNotAcquiredException extends DistributedLockException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final LockKey key;

	private final Duration waited;

	/**
	 * Create a new exception with a message that names the key and the time waited.
	 * @param key the key that was held
	 * @param waited how long the caller waited
	 */
	public LockNotAcquiredException(LockKey key, Duration waited) {
		this(key, waited, "Lock '" + key.asString() + "' is held by another owner" + describeWait(waited), null);
	}

	/**
	 * Create a new exception.
	 * @param key the key that was held
	 * @param waited how long the caller waited
	 * @param message the detail message
	 * @param cause the cause, if any
	 */
	public LockNotAcquiredException(LockKey key, Duration waited, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.key = key;
		this.waited = waited;
	}

	private static String describeWait(Duration waited) {
		return waited.isZero() ? " (did not wait)" : " (waited " + waited.toMillis() + " ms)";
	}

	/**
	 * Return the key that was held.
	 * @return the key
	 */
	public LockKey getKey() {
		return this.key;
	}

	/**
	 * Return how long the caller waited before giving up.
	 * @return the time waited
	 */
	public Duration getWaited() {
		return this.waited;
	}

}
