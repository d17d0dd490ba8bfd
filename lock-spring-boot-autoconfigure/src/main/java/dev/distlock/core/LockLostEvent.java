package dev.distlock.core;

import java.io.Serial;

import org.springframework.context.ApplicationEvent;

/**
 * Published as an application event when the lease of a held lock was lost: a renewal or
 * the release found the lock expired or owned by another holder.
 *
 * @author Distributed Lock team
 */
public class LockLostEvent extends ApplicationEvent {

	@Serial
	private static final long serialVersionUID = 1L;

	private final LockKey key;

	private final long fencingToken;

	private final String store;

	/**
	 * Create a new event.
	 * @param source the object that detected the loss
	 * @param key the key whose lease was lost
	 * @param fencingToken the fencing token of the lost lease
	 * @param store the store kind
	 */
	public LockLostEvent(Object source, LockKey key, long fencingToken, String store) {
		super(source);
		this.key = key;
		this.fencingToken = fencingToken;
		this.store = store;
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

	/**
	 * Return the store kind.
	 * @return the store kind
	 */
	public String getStore() {
		return this.store;
	}

}
