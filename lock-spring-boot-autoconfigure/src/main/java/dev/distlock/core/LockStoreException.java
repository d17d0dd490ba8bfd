package dev.distlock.core;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * The lock store failed: it is unreachable, timed out or answered with an error. The
 * lock's state is unknown to the caller, so this is never reported as "held".
 *
 * @author Distributed Lock team
 */
public class LockStoreException extends DistributedLockException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message the detail message
	 * @param cause the store's own exception, if any
	 */
	public LockStoreException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
