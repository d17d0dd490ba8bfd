package dev.distlock.core;

import java.io.Serial;

/**
 * The lease of a lock was lost while it was held: a renewal or the release found the lock
 * expired or owned by another holder, so another instance may have run the same work at
 * the same time. Thrown after the locked method returned when
 * {@code distributed-lock.on-lease-lost=throw}.
 *
 * @author Distributed Lock team
 */
public class LockLostException extends DistributedLockException {

	@Serial
	private static final long serialVersionUID = 1L;

	private final LockKey key;

	private final long fencingToken;

	/**
	 * Create a new exception.
	 * @param key the key whose lease was lost
	 * @param fencingToken the fencing token of the lost lease
	 */
	public LockLostException(LockKey key, long fencingToken) {
		super("Lease of lock '" + key.asString() + "' (fencing token " + fencingToken
				+ ") was lost while it was held: another holder may have run at the same time", null);
		this.key = key;
		this.fencingToken = fencingToken;
	}

	/**
	 * Return the key whose lease was lost.
	 * @return the key
	 */
	public LockKey getKey() {
		return this.key;
	}

	/**
	 * Return the fencing token of the lost lease.
	 * @return the fencing token
	 */
	public long getFencingToken() {
		return this.fencingToken;
	}

}
