package dev.distlock.metrics;

import dev.distlock.core.LockKey;

/**
 * The context of a {@link LockObservationDocumentation#HOLD lock hold} observation. Its
 * outcome is {@code released}, {@code lost} or {@code release_failed}.
 *
 * @author Distributed Lock team
 */
public class LockHoldContext extends LockObservationContext {

	private final long fencingToken;

	/**
	 * Create a context.
	 * @param key the lock key
	 * @param store the store kind
	 * @param fencingToken the holder's fencing token
	 */
	public LockHoldContext(LockKey key, String store, long fencingToken) {
		super(key, store);
		this.fencingToken = fencingToken;
	}

	/**
	 * Return the holder's fencing token (high cardinality: for custom conventions only).
	 * @return the fencing token
	 */
	public long getFencingToken() {
		return this.fencingToken;
	}

}
