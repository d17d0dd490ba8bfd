package dev.distlock.annotation;

/**
 * Whether a {@link DistributedLock @DistributedLock} method's lease is extended while the
 * method runs.
 *
 * @author Distributed Lock team
 */
public enum AutoRenew {

	/**
	 * Use the configured default: {@code distributed-lock.namespaces.<name>.auto-renew},
	 * else {@code distributed-lock.auto-renew} ({@code true} unless set).
	 */
	DEFAULT,

	/**
	 * Extend the lease at about a third of its length until the method ends.
	 */
	ON,

	/**
	 * Never extend the lease: the lock expires after the lease time even if the method
	 * still runs.
	 */
	OFF

}
