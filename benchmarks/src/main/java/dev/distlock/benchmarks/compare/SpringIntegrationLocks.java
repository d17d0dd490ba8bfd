package dev.distlock.benchmarks.compare;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.support.locks.DistributedLock;

/**
 * Drives a Spring Integration lock the same way for its Redis and JDBC registries.
 *
 * @author Distributed Lock team
 */
final class SpringIntegrationLocks {

	private SpringIntegrationLocks() {
	}

	/**
	 * Try a lock with Spring Integration's own waiting and the benchmark's lease.
	 * @param lock the lock the registry obtained for the key
	 * @param waitTime how long to wait
	 * @param lease the lease of the lock
	 * @return the held lock, or {@code null} if it stayed held
	 * @throws InterruptedException if the waiting thread was interrupted
	 */
	static LockClient.@Nullable Held tryAcquire(DistributedLock lock, Duration waitTime, Duration lease)
			throws InterruptedException {
		if (!lock.tryLock(waitTime, lease)) {
			return null;
		}
		return lock::unlock;
	}

}
