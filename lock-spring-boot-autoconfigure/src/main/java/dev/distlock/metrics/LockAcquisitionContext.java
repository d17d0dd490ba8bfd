package dev.distlock.metrics;

import dev.distlock.core.LockKey;

/**
 * The context of a {@link LockObservationDocumentation#ACQUISITION lock acquisition}
 * observation. Its outcome is {@code acquired}, {@code not_acquired} or {@code error}.
 *
 * @author Distributed Lock team
 */
public class LockAcquisitionContext extends LockObservationContext {

	/**
	 * Create a context.
	 * @param key the lock key
	 * @param store the store kind
	 */
	public LockAcquisitionContext(LockKey key, String store) {
		super(key, store);
	}

}
