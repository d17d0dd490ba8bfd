package dev.distlock.annotation;

/**
 * What a {@link DistributedLock @DistributedLock} method does when the lock is held by
 * someone else for longer than its wait time.
 *
 * @author Distributed Lock team
 */
public enum OnFailure {

	/**
	 * Use the configured default: {@code distributed-lock.namespaces.<name>.on-failure},
	 * else {@code distributed-lock.on-failure} ({@link #THROW} unless set).
	 */
	DEFAULT,

	/**
	 * Throw {@link dev.distlock.core.LockNotAcquiredException}; the method does not run.
	 */
	THROW,

	/**
	 * Do not run the method and return {@code null} ({@code Optional.empty()} for an
	 * {@code Optional} return type). Not allowed on methods returning a primitive.
	 */
	SKIP

}
