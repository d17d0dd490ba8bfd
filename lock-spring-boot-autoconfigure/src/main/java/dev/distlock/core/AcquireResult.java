package dev.distlock.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link LockStore#tryAcquire acquire attempt}: the lock was acquired
 * with a fencing token, or it is held by another owner, in which case the store may say
 * when that holder's lease ends so that a waiter retries then.
 *
 * @author Distributed Lock team
 */
public final class AcquireResult {

	private static final AcquireResult HELD = new AcquireResult(false, 0, null);

	private final boolean acquired;

	private final long fencingToken;

	private final @Nullable Duration holderLeaseRemaining;

	private AcquireResult(boolean acquired, long fencingToken, @Nullable Duration holderLeaseRemaining) {
		this.acquired = acquired;
		this.fencingToken = fencingToken;
		this.holderLeaseRemaining = holderLeaseRemaining;
	}

	/**
	 * Return the outcome of an attempt that acquired the lock.
	 * @param fencingToken the new holder's fencing token, greater than every earlier
	 * token handed out for the key
	 * @return the outcome
	 */
	public static AcquireResult acquired(long fencingToken) {
		return new AcquireResult(true, fencingToken, null);
	}

	/**
	 * Return the outcome of an attempt that found the lock held, without saying for how
	 * long.
	 * @return the outcome
	 */
	public static AcquireResult held() {
		return HELD;
	}

	/**
	 * Return the outcome of an attempt that found the lock held.
	 * @param holderLeaseRemaining how long the holder's lease runs unless renewed, or
	 * {@code null} if unknown
	 * @return the outcome
	 */
	public static AcquireResult held(@Nullable Duration holderLeaseRemaining) {
		return (holderLeaseRemaining != null) ? new AcquireResult(false, 0, holderLeaseRemaining) : HELD;
	}

	/**
	 * Return whether the lock was acquired.
	 * @return whether the attempt acquired the lock
	 */
	public boolean isAcquired() {
		return this.acquired;
	}

	/**
	 * Return the new holder's fencing token.
	 * @return the fencing token
	 * @throws IllegalStateException if the lock was not acquired
	 */
	public long fencingToken() {
		if (!this.acquired) {
			throw new IllegalStateException("The lock was not acquired");
		}
		return this.fencingToken;
	}

	/**
	 * Return how long the holder's lease runs, if the store said so.
	 * @return the remaining lease of the holder, or {@code null}
	 */
	public @Nullable Duration holderLeaseRemaining() {
		return this.holderLeaseRemaining;
	}

	@Override
	public String toString() {
		return this.acquired ? "acquired[fencingToken=" + this.fencingToken + "]"
				: "held[holderLeaseRemaining=" + this.holderLeaseRemaining + "]";
	}

}
