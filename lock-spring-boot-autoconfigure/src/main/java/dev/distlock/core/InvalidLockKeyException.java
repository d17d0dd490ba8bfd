package dev.distlock.core;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * A lock key could not be built: a key value is {@code null} or a key expression failed.
 * The locked method does not run.
 *
 * @author Distributed Lock team
 */
public class InvalidLockKeyException extends DistributedLockException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message the detail message, naming the method and expression where known
	 * @param cause the cause, if any
	 */
	public InvalidLockKeyException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
