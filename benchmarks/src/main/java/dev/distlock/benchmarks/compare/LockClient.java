package dev.distlock.benchmarks.compare;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One "node" of a contender: a client with its own connections, as one instance of an
 * application would have. Every library under comparison is adapted to this shape, so
 * that the scenarios drive them all through the same code.
 */
public interface LockClient extends AutoCloseable {

	/**
	 * Acquire a lock, waiting up to {@code waitTime} for its holder to release it (with
	 * the library's own waiting, or a retry loop where the library has none).
	 * @param key the lock name, unique to this contender
	 * @param waitTime how long to wait; zero makes one attempt
	 * @return the held lock, or {@code null} if it stayed held
	 * @throws Exception if the library failed
	 */
	@Nullable Held tryAcquire(String key, Duration waitTime) throws Exception;

	/**
	 * Run a section while holding a lock, and release it afterwards: the section ends
	 * just before the release starts. Clients whose library has a callback form (such as
	 * {@code LockTemplate.execute}) override this to use it.
	 * @param key the lock name, unique to this contender
	 * @param waitTime how long to wait; zero makes one attempt
	 * @param section what to run while holding the lock
	 * @return whether the lock was acquired and the section ran
	 * @throws Exception if the library failed
	 */
	default boolean runLocked(String key, Duration waitTime, Runnable section) throws Exception {
		Held held = tryAcquire(key, waitTime);
		if (held == null) {
			return false;
		}
		try {
			section.run();
		}
		finally {
			held.release();
		}
		return true;
	}

	/**
	 * Close the node's connections.
	 */
	@Override
	void close();

	/**
	 * A held lock.
	 */
	@FunctionalInterface
	interface Held {

		/**
		 * Release the lock.
		 * @throws Exception if the library failed
		 */
		void release() throws Exception;

	}

}
