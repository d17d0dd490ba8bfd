package dev.distlock.core;

import java.util.Objects;

/**
 * The outcome of one {@link LockStore#handOver hand-over}: whether the releasing owner
 * still held the lock, and what the attempt for the next holder gave.
 *
 * @param released whether the releasing owner held the lock (and no longer does)
 * @param next the outcome for the next holder: acquired with its fencing token, or held
 * (by another owner, or kept free for waiters of other instances) with, if known, how
 * long until it should try again
 * @author Distributed Lock team
 */
public record HandOverResult(boolean released, AcquireResult next) {

	/**
	 * Validate the result.
	 * @param released whether the releasing owner held the lock
	 * @param next the outcome for the next holder
	 */
	public HandOverResult {
		Objects.requireNonNull(next, "next must not be null");
	}

}
