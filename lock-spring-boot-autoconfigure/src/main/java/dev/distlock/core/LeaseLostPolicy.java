package dev.distlock.core;

/**
 * What a locked method's caller sees when the lease was lost while the method ran.
 *
 * @author Distributed Lock team
 */
public enum LeaseLostPolicy {

	/**
	 * Log a warning, count it and publish a {@link LockLostEvent}; the method's result is
	 * returned as usual.
	 */
	LOG,

	/**
	 * As {@link #LOG}, and the caller gets a {@link LockLostException} instead of the
	 * method's result.
	 */
	THROW

}
