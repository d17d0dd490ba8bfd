package dev.distlock.core;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * Base class of every exception this library throws. All of them are unchecked.
 *
 * @author Distributed Lock team
 */
public abstract class DistributedLockException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message the detail message
	 * @param cause the cause, if any
	 */
	protected DistributedLockException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
