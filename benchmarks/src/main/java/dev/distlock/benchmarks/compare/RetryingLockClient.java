package dev.distlock.benchmarks.compare;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A {@link LockClient} for a library (or the floor) that only makes single attempts: it
 * waits with a retry loop at a fixed interval, and is labelled as such in the report.
 *
 * @author Distributed Lock team
 */
abstract class RetryingLockClient implements LockClient {

	private final long retryNanos;

	RetryingLockClient(Duration retryInterval) {
		this.retryNanos = retryInterval.toNanos();
	}

	@Override
	public final @Nullable Held tryAcquire(String key, Duration waitTime) throws Exception {
		long deadline = System.nanoTime() + waitTime.toNanos();
		while (true) {
			Held held = attempt(key);
			if (held != null) {
				return held;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return null;
			}
			LockSupport.parkNanos(Math.min(left, this.retryNanos));
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
	}

	/**
	 * Make one attempt.
	 * @param key the lock name
	 * @return the held lock, or {@code null} if it is held
	 * @throws Exception if the library failed
	 */
	abstract @Nullable Held attempt(String key) throws Exception;

}
