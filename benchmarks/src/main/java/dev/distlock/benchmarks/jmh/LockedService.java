package dev.distlock.benchmarks.jmh;

import dev.distlock.annotation.DistributedLock;

/**
 * The methods the advice benchmark calls: the same no-op body with and without the
 * annotation. Public and not final, so that it can be proxied.
 */
public class LockedService {

	/**
	 * A no-op under a lock with a fixed key.
	 * @return a constant
	 */
	@DistributedLock(namespace = "bench")
	public long locked() {
		return 42;
	}

	/**
	 * A no-op under a lock keyed by its argument.
	 * @param userId the key
	 * @return the argument
	 */
	@DistributedLock(namespace = "bench", keys = "#userId")
	public long lockedByArgument(long userId) {
		return userId;
	}

	/**
	 * The same no-op, not locked.
	 * @return a constant
	 */
	public long plain() {
		return 42;
	}

}
