package dev.distlock.benchmarks.jmh;

import java.util.concurrent.CompletableFuture;

import dev.distlock.annotation.DistributedLock;

/**
 * The methods the advice benchmark calls: the same no-op body with and without the
 * annotation. Public and not final, so that it can be proxied.
 *
 * @author Distributed Lock team
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

	/**
	 * An asynchronous no-op under a lock with a fixed key: the future is complete when
	 * the method returns, so the advice releases the lock at once.
	 * @return a completed future
	 */
	@DistributedLock(namespace = "bench")
	public CompletableFuture<Long> lockedFuture() {
		return CompletableFuture.completedFuture(42L);
	}

	/**
	 * The same asynchronous no-op, not locked.
	 * @return a completed future
	 */
	public CompletableFuture<Long> plainFuture() {
		return CompletableFuture.completedFuture(42L);
	}

}
